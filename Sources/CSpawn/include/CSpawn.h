#ifndef BERTH_CSPAWN_H
#define BERTH_CSPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` in a session of its own (setsid), so that it outlives berthd
/// and no signal meant for berthd's process group or terminal reaches it: stdin from /dev/null,
/// stdout and stderr to `log_fd`, no other descriptor of the caller, an empty signal mask and default
/// signal dispositions (glibc's posix_spawn flags and closefrom action, declared only under _GNU_SOURCE,
/// which Swift's Glibc module does not define). Returns 0 and sets `*pid`, or an errno value.
int berth_spawn_session(const char *path, char *const argv[], char *const envp[], int log_fd, pid_t *pid);

/// pidfd_open(2) with no flags: a descriptor that becomes readable when the process exits. -1 with errno set.
int berth_pidfd_open(pid_t pid);

/// pidfd_send_signal(2): signals the process the pidfd names, never a later process that reused its pid.
/// 0, or -1 with errno set.
int berth_pidfd_send_signal(int pidfd, int signal);

#endif
