/// The life-cycle state of a child, as `/debug/supervision` shows it.
public enum ChildState: String, Sendable, Codable, Hashable {
    /// Not started yet.
    case idle
    /// Started, not yet ready.
    case starting
    /// Ready and serving requests.
    case running
    /// Failed; waiting for its backoff delay before the next start.
    case restarting
    /// Being stopped.
    case stopping
    /// Stopped by its supervisor.
    case stopped
    /// Returned normally and is not restarted (transient or temporary children).
    case completed
    /// Failed and is not restarted.
    case failed
    /// Did not stop within its shutdown budget.
    case stuck
}
