import Logging
import Messages
import Supervision

/// Everything the HTTP front forwards to. It owns none of it.
public struct APIEnvironment: Sendable {
    public let subsystems: Subsystems
    public let events: any EventBus
    public let config: ConfigStore
    public let facts: DaemonFacts
    /// The tree, for `/debug/supervision` and fault injection.
    public let supervisor: Supervisor
    public let metrics: APIMetrics
    public let logger: Logger

    public init(
        subsystems: Subsystems, events: any EventBus, config: ConfigStore, facts: DaemonFacts, supervisor: Supervisor,
        metrics: APIMetrics, logger: Logger
    ) {
        self.subsystems = subsystems
        self.events = events
        self.config = config
        self.facts = facts
        self.supervisor = supervisor
        self.metrics = metrics
        self.logger = logger
    }
}
