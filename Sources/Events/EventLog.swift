import Foundation
import GRDB
import Logging
import Messages
import StateStore

/// berthd's event bus: every event is recorded in SQLite (`events.db`, so `docker events --since`
/// replays across restarts) and delivered to the live subscribers of `GET /events`.
///
/// It keeps the newest `retention` events and drops older ones.
public actor EventLog: EventBus {
    /// How many unread live events a subscriber keeps.
    static let subscriberBuffer = 4096

    private let database: DatabasePool
    private let retention: Int
    private var subscribers: [Int: AsyncStream<EngineEvent>.Continuation] = [:]
    private var nextSubscriber = 0
    private var published = 0

    public init(dataRoot: String, retention: Int = 100_000) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "events") { migrator in
            migrator.registerMigration("v1-events") { db in
                try db.create(table: "event") { t in
                    t.autoIncrementedPrimaryKey("seq")
                    t.column("timeNano", .integer).notNull().indexed()
                    t.column("payload", .blob).notNull()
                }
            }
        }
        self.retention = retention
    }

    public func publish(_ event: EngineEvent) async {
        published += 1
        for continuation in subscribers.values { continuation.yield(event) }
        do {
            let payload = try JSONValue(encoding: event).encoded()
            let retention = retention
            let prune = published % 1000 == 0
            try await database.write { db in
                try db.execute(sql: "INSERT INTO event (timeNano, payload) VALUES (?, ?)", arguments: [event.timeNano, payload])
                if prune {
                    try db.execute(sql: "DELETE FROM event WHERE seq <= (SELECT MAX(seq) FROM event) - ?", arguments: [retention])
                }
            }
        } catch {
            Logger(label: "berth.events").error("failed to record event", metadata: ["error": "\(error)"])
        }
    }

    public func history(sinceNano: Int64, untilNano: Int64) async throws -> [EngineEvent] {
        let payloads = try await database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT payload FROM event WHERE timeNano >= ? AND timeNano <= ? ORDER BY seq",
                arguments: [sinceNano, untilNano])
        }
        let decoder = JSONDecoder()
        return payloads.compactMap { try? decoder.decode(EngineEvent.self, from: $0) }
    }

    /// The live events from now on. A subscriber that does not keep up loses the oldest of its unread
    /// events beyond `subscriberBuffer`, so a client that stops reading holds a bounded amount of memory
    /// (dockerd keeps 1024 a subscriber and drops what waits longer than 100 ms).
    public func subscribe() async -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .bufferingNewest(Self.subscriberBuffer))
        nextSubscriber += 1
        let id = nextSubscriber
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    public func subscriberCount() async -> Int { subscribers.count }

    public func publishedCount() async -> Int { published }

    /// Ends every subscription (at shutdown).
    public func close() {
        subscribers.values.forEach { $0.finish() }
        subscribers.removeAll()
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }
}
