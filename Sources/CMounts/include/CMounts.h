#ifndef BERTH_CMOUNTS_H
#define BERTH_CMOUNTS_H

/// Whether `path` is the root of a mount, from statx's STATX_ATTR_MOUNT_ROOT (Linux 5.8; glibc declares
/// statx only under _GNU_SOURCE, which Swift's Glibc module does not define): 1 or 0; -1 when the kernel
/// does not tell (too old) or statx fails, with errno set for the latter.
int berth_is_mount_root(const char *path);

#endif
