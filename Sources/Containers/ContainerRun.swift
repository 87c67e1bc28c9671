import Messages
import Supervision

/// What this incarnation holds for one container beyond its record: its run, the streams and waits
/// around it, and a restart waiting for its delay. One entry per container, in `entries`; a run ends
/// through `releaseRun` and the entry through `releaseEntry`, whichever way it ends.
struct ContainerEntry {
    /// The task running now; nil while the container is stopped.
    var run: ContainerRun?
    /// Attach subscriptions: a client that attaches before a start hears the next run.
    let hub = OutputHub()
    /// The container's stdin across attaches.
    let stdinRelay = StdinRelay()
    /// Registered `wait`s.
    var waiters: [Waiter] = []
    /// A restart waiting for its backoff delay.
    var pendingRestart: Task<Void, Never>?
}

/// One run of a container's task, from start to exit.
struct ContainerRun: Sendable {
    let io: ProcessIO
    /// Set with the exit once the task has exited and its output is drained.
    let exited: OneShot<TaskExit>
    /// Reads the output into the log and the attached clients; ends when the output does.
    let pump: Task<Void, Never>
    /// The log this run writes (`nil` when the driver keeps none).
    let log: ContainerLogWriter?
    /// Waits for the exit and cleans up after it.
    var monitor: Task<Void, Never>?
    /// Runs the healthcheck, if the container has one.
    var health: Task<Void, Never>?
    /// The `docker exec` sessions of this run, by exec ID; forgotten when it ends, as Docker forgets them.
    var execs: [String: ExecProcess] = [:]
}

/// A registered `wait` on a container.
struct Waiter {
    let condition: WaitCondition
    let answer: AsyncStream<WaitResult>.Continuation
}
