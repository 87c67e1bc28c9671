import Synchronization

/// The configuration in force. Children read it when they need it; a reload replaces it in one step.
/// Read synchronously (under a lock, not through an actor hop): the API front reads it on every request.
public final class ConfigStore: Sendable {
    private let config: Mutex<DaemonConfig>

    public init(_ config: DaemonConfig) { self.config = Mutex(config) }

    public var current: DaemonConfig { config.withLock { $0 } }

    /// One value of the configuration in force, read without copying the rest.
    public func read<Value: Sendable>(_ value: (borrowing DaemonConfig) -> Value) -> Value {
        config.withLock { value($0) }
    }

    /// Replaces the configuration in force.
    public func replace(with config: DaemonConfig) {
        self.config.withLock { $0 = config }
    }
}
