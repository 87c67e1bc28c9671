import Messages
import Supervision

/// One run of a container's task, from start to exit.
struct ContainerRun: Sendable {
    let io: ProcessIO
    /// Set with the exit once the task has exited and its output is drained.
    let exited: OneShot<TaskExit>
    /// Reads the output into the log and the attached clients; ends when the output does.
    let pump: Task<Void, Never>
    /// Waits for the exit and cleans up after it.
    var monitor: Task<Void, Never>?
    /// Runs the healthcheck, if the container has one.
    var health: Task<Void, Never>?
}

/// A registered `wait` on a container.
struct Waiter {
    let condition: WaitCondition
    let answer: AsyncStream<WaitResult>.Continuation
}
