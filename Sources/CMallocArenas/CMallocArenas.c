#include "CMallocArenas.h"
#include <malloc.h>

int berth_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
