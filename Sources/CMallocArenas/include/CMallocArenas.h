#ifndef BERTH_CMALLOCARENAS_H
#define BERTH_CMALLOCARENAS_H

/// Caps how many malloc arenas glibc keeps (mallopt's M_ARENA_MAX; malloc.h is not part of Swift's
/// Glibc module). Returns 1 on success, 0 on failure.
int berth_limit_malloc_arenas(int count);

#endif
