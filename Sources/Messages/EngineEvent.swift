/// One event of `GET /events`, in Docker's shape.
public struct EngineEvent: Sendable, Codable, Hashable {
    /// The object kind: `container`, `image`, `volume`, `network`, `daemon`, `plugin`, …
    public var type: String
    /// What happened: `create`, `start`, `reload`, …
    public var action: String
    public var actor: Actor
    public var scope: String
    /// Unix time in nanoseconds.
    public var timeNano: Int64

    public struct Actor: Sendable, Codable, Hashable {
        public var id: String
        public var attributes: [String: String]

        public init(id: String, attributes: [String: String] = [:]) {
            self.id = id
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case attributes = "Attributes"
        }
    }

    public init(type: String, action: String, actor: Actor, scope: String = "local", timeNano: Int64) {
        self.type = type
        self.action = action
        self.actor = actor
        self.scope = scope
        self.timeNano = timeNano
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case action = "Action"
        case actor = "Actor"
        case scope
        case timeNano
    }
}

/// Where events are published, remembered and followed. One per daemon; every child may publish.
public protocol EventBus: Sendable {
    /// Records an event and delivers it to the live subscribers.
    func publish(_ event: EngineEvent) async
    /// Recorded events with `since <= time <= until` (nanoseconds), oldest first.
    func history(sinceNano: Int64, untilNano: Int64) async throws -> [EngineEvent]
    /// Events published from now on. The stream ends when the subscriber cancels or the bus stops.
    func subscribe() async -> AsyncStream<EngineEvent>
    /// How many live subscriptions there are (for `/info` and metrics).
    func subscriberCount() async -> Int
    /// How many events were published by this daemon process.
    func publishedCount() async -> Int
}
