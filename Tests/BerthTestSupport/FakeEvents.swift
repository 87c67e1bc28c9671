import Messages
import Synchronization

/// An event bus that keeps what is published, for children whose factory needs one.
public final class FakeEvents: EventBus {
    private let published = Mutex<[EngineEvent]>([])

    public init() {}

    /// The events published so far, in order.
    public var events: [EngineEvent] { published.withLock { $0 } }

    public func publish(_ event: EngineEvent) async { published.withLock { $0.append(event) } }

    public func history(sinceNano: Int64, untilNano: Int64) async throws -> [EngineEvent] {
        events.filter { $0.timeNano >= sinceNano && $0.timeNano <= untilNano }
    }

    /// A stream with no events that ends when its subscriber cancels.
    public func subscribe() async -> AsyncStream<EngineEvent> { AsyncStream { _ in } }

    public func subscriberCount() async -> Int { 0 }

    public func publishedCount() async -> Int { events.count }
}
