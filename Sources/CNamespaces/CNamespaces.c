#define _GNU_SOURCE
#include <sched.h>
#include "CNamespaces.h"

int berth_unshare_network(void) { return unshare(CLONE_NEWNET); }
