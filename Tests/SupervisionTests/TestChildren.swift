import Synchronization
import Supervision

/// A log of what test children did, in order.
final class Journal: Sendable {
    private let lines = Mutex<[String]>([])
    func record(_ line: String) { lines.withLock { $0.append(line) } }
    var entries: [String] { lines.withLock { $0 } }
}

/// A child whose behaviour each test scripts.
actor ScriptedChild: SupervisedChild {
    let name: String
    let journal: Journal
    let readyGate: OneShot<Void>?
    let ignoresStop: OneShot<Void>?
    let failOnStart: Bool

    init(name: String, journal: Journal, readyGate: OneShot<Void>? = nil, ignoresStop: OneShot<Void>? = nil, failOnStart: Bool = false) {
        self.name = name
        self.journal = journal
        self.readyGate = readyGate
        self.ignoresStop = ignoresStop
        self.failOnStart = failOnStart
    }

    func run(_ context: ChildContext) async throws {
        journal.record("start \(name) #\(context.incarnation)")
        if failOnStart { throw TestFailure(message: "\(name) cannot start") }
        if let readyGate { _ = await readyGate.wait() }
        context.ready()
        await context.untilStopped()
        if let ignoresStop {
            // Ignore cancellation until the test releases us.
            await Task { _ = await ignoresStop.wait() }.value
        }
        journal.record("stop \(name)")
    }

    func echo(_ value: Int) -> Int { value }
}

struct TestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension ChildSpec {
    static func scripted(
        _ name: String, journal: Journal, restart: RestartType = .permanent, readyGate: OneShot<Void>? = nil,
        ignoresStop: OneShot<Void>? = nil, failOnStart: Bool = false, intensity: RestartIntensity = RestartIntensity(),
        backoff: Backoff = Backoff()
    ) -> ChildSpec {
        ChildSpec(name: name, restart: restart, backoff: backoff, intensity: intensity, requestTimeout: .seconds(5)) { _ in
            ScriptedChild(name: name, journal: journal, readyGate: readyGate, ignoresStop: ignoresStop, failOnStart: failOnStart)
        }
    }
}

/// Reads a supervisor's events until one matches.
struct EventWatcher {
    var iterator: AsyncStream<SupervisionEvent>.Iterator

    init(_ supervisor: Supervisor) { iterator = supervisor.events.makeAsyncIterator() }

    @discardableResult
    mutating func next(where predicate: (SupervisionEvent) -> Bool) async -> SupervisionEvent? {
        while let event = await iterator.next() {
            if predicate(event) { return event }
        }
        return nil
    }
}
