#ifndef BERTH_CNAMESPACES_H
#define BERTH_CNAMESPACES_H

/// unshare(CLONE_NEWNET) for the calling thread (glibc declares unshare only under _GNU_SOURCE, which
/// Swift's Glibc module does not define). 0, or -1 with errno set.
int berth_unshare_network(void);

#endif
