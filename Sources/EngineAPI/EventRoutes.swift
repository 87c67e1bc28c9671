import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// `GET /events`: replays the history between `since` and `until`, then follows live events until
/// `until` (or forever), one JSON object per line.
enum EventRoutes {
    static let all: [Route] = [Route(.GET, path: "/events", handler: events)]

    static func events(_ context: RequestContext) async throws -> HTTPResponse {
        let request = context.request
        let filter = try EventFilter(json: request.query("filters"))
        let now = UnixTime.nowNano
        let since = try request.query("since").map(parseTimestamp)
        let until = try request.query("until").map(parseTimestamp)
        if let since, let until, since > until {
            throw EngineErrorResponse(status: .badRequest, message: "`since` time (\(since)) cannot be after `until` time (\(until))")
        }
        let bus = context.environment.events
        let legacyFields = context.version < APIVersion(major: 1, minor: 52)
        let followsLive = until.map { $0 > now } ?? true
        let live = followsLive ? await bus.subscribe() : nil
        var history: [EngineEvent] = []
        if let since { history = try await bus.history(sinceNano: since, untilNano: min(until ?? now, now)) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: .ok, headers: headers, body: .stream { [history] writer in
            var lastReplayed: Int64 = 0
            for event in history where filter.matches(event) {
                try await writer.write(line(for: event, legacyFields: legacyFields))
                lastReplayed = event.timeNano
            }
            guard let live else { return }
            try await follow(live, until: until, skipUpTo: lastReplayed, filter: filter, legacyFields: legacyFields, writer: writer)
        })
    }

    private static func follow(
        _ live: AsyncStream<EngineEvent>, until: Int64?, skipUpTo lastReplayed: Int64, filter: EventFilter, legacyFields: Bool,
        writer: ResponseBodyWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in live where event.timeNano > lastReplayed && filter.matches(event) {
                    if let until, event.timeNano > until { return }
                    try await writer.write(line(for: event, legacyFields: legacyFields))
                }
            }
            if let until {
                group.addTask { try await Task.sleep(for: .wait(nanoseconds: until - UnixTime.nowNano)) }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// One event as a JSON line, with the `status`/`id`/`from` fields older clients read.
    static func line(for event: EngineEvent, legacyFields: Bool) -> ByteBuffer {
        var members: [(String, JSONValue)] = []
        if legacyFields && (event.type == "container" || event.type == "image") {
            members.append(("status", .string(event.action)))
            members.append(("id", .string(event.actor.id)))
            if let image = event.actor.attributes["image"] { members.append(("from", .string(image))) }
        }
        members += [
            ("Type", .string(event.type)), ("Action", .string(event.action)),
            ("Actor", ["ID": .string(event.actor.id), "Attributes": .from(event.actor.attributes)]),
            ("scope", .string(event.scope)), ("time", .int(event.timeNano / 1_000_000_000)), ("timeNano", .int(event.timeNano)),
        ]
        var buffer = ByteBuffer(bytes: JSONValue.object(members).encoded())
        buffer.writeString("\n")
        return buffer
    }

    /// Docker's timestamps: Unix seconds with an optional fraction (`1700000000.5`), or RFC 3339.
    static func parseTimestamp(_ text: String) throws(EngineErrorResponse) -> Int64 {
        if let nano = UnixTime.parseSeconds(text) { return nano }
        if let nano = UnixTime.parseRFC3339(text) { return nano }
        throw EngineErrorResponse(status: .badRequest, message: "invalid timestamp: \(text)")
    }
}
