#ifndef BERTH_CEXECUTORHOOK_H
#define BERTH_CEXECUTORHOOK_H

/// The address of the Swift runtime's `swift_task_enqueueGlobal_hook`: the function that, when set, takes
/// every job bound for the global executor. SwiftNIO finds it with dlsym, which fails when the runtime is
/// linked statically (its symbols are not exported); a reference from C links to it either way.
void **berth_enqueue_global_hook(void);

#endif
