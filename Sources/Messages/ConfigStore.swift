/// The configuration in force. Children read it when they need it; a reload replaces it in one step.
public actor ConfigStore {
    private var config: DaemonConfig
    private var generation = 1

    public init(_ config: DaemonConfig) { self.config = config }

    public var current: DaemonConfig { config }

    /// Increases with every applied reload.
    public var version: Int { generation }

    /// Replaces the configuration in force.
    public func replace(with config: DaemonConfig) {
        self.config = config
        generation += 1
    }
}
