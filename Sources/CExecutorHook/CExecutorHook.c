#include "CExecutorHook.h"

extern void *swift_task_enqueueGlobal_hook;

void **berth_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }
