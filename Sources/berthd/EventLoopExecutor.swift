import CExecutorHook
import NIOCore
import NIOPosix

/// Runs Swift concurrency's jobs on NIO's event loops: a request is read, answered through the actors
/// and written without switching threads between a socket's event loop and the concurrency pool.
///
/// SwiftNIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()` does the
/// same, but finds the runtime's hook with dlsym, which fails when the runtime is linked statically
/// (the release build): the jobs then ran on Dispatch's threads.
enum EventLoopExecutor {
    private typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    private typealias Hook = @convention(thin) (UnownedJob, Enqueue) -> Void

    /// Installs the hook. Once, before any task but the main one has started.
    static func install() {
        let slot = berth_enqueue_global_hook()!
        withUnsafeTemporaryAllocation(of: Hook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                // On one of the group's loops, `any()` is that loop: the job stays on its thread.
                MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
            })
            // A thin function is one pointer: the hook is that pointer.
            hook.baseAddress!.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) {
                slot.pointee = UnsafeMutableRawPointer(mutating: $0.pointee)
            }
        }
    }
}
