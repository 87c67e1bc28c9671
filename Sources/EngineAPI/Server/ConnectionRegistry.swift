import NIOCore
import Synchronization

/// The server's live connections and what each is doing, so a shutdown can treat them apart: idle
/// keep-alive connections are closed at once, streamed responses are interrupted, requests being handled
/// are left to finish (their connection then closes).
///
/// It only records state and closes channels; the waiting for the drain lives in ``HTTPServer``.
final class ConnectionRegistry: Sendable {
    /// What a connection is doing.
    enum Phase: Sendable {
        /// Waiting for the next request (a keep-alive connection between requests, or a new one).
        case idle
        /// Reading a request, running the responder or writing a whole response.
        case active
        /// Writing a streamed response, or running a hijacked connection.
        case streaming
    }

    private struct Entry {
        let channel: any Channel
        let interrupt: ConnectionInterrupt
        var phase: Phase
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
        var isShuttingDown = false
    }

    private let state = Mutex(State())
    /// Accepted connections not yet closed, registered or not (``admit(_:limit:)``).
    private let open = Atomic<Int>(0)

    /// Whether ``beginShutdown()`` was called.
    var isShuttingDown: Bool {
        self.state.withLock { $0.isShuttingDown }
    }

    /// The number of connections handling a request (active or streaming).
    var inFlight: Int {
        self.state.withLock { state in
            state.entries.values.count { $0.phase != .idle }
        }
    }

    /// The number of open connections (registered ones: see ``admit(_:limit:)`` for the accepted ones).
    var connectionCount: Int {
        self.state.withLock { $0.entries.count }
    }

    /// Counts a connection just accepted, until it closes; false, counting nothing, when `limit` connections
    /// are open already.
    func admit(_ channel: any Channel, limit: Int) -> Bool {
        guard self.open.increment(below: limit) else { return false }
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        return true
    }

    /// Records a new, idle connection; nil when the server is shutting down (the caller closes it).
    func register(_ channel: any Channel, interrupt: ConnectionInterrupt) -> Int? {
        self.state.withLock { state in
            guard !state.isShuttingDown else { return nil }
            defer { state.nextID += 1 }
            state.entries[state.nextID] = Entry(channel: channel, interrupt: interrupt, phase: .idle)
            return state.nextID
        }
    }

    /// Forgets a connection that has ended.
    func remove(_ id: Int) {
        _ = self.state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Moves a connection to `phase`. Returns false, leaving it as it was, when it asks to become idle while
    /// the server is shutting down: it must then close instead of waiting for another request.
    func enter(_ phase: Phase, id: Int) -> Bool {
        self.state.withLock { state in
            if phase == .idle && state.isShuttingDown {
                return false
            }
            state.entries[id]?.phase = phase
            return true
        }
    }

    /// Refuses new connections, closes idle ones and fires every connection's interrupt (so a streamed
    /// response, now or later, is cancelled).
    func beginShutdown() {
        let entries = self.state.withLock { state -> [Entry] in
            state.isShuttingDown = true
            return Array(state.entries.values)
        }
        for entry in entries {
            entry.interrupt.fire()
            if entry.phase == .idle {
                entry.channel.close(promise: nil)
            }
        }
    }

    /// Closes every connection, whatever it is doing (the end of a shutdown's drain time).
    func closeAll() {
        let channels = self.state.withLock { state in
            state.isShuttingDown = true
            return state.entries.values.map(\.channel)
        }
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}

extension Atomic<Int> {
    /// Adds one unless the value has reached `limit`; returns whether it did.
    fileprivate func increment(below limit: Int) -> Bool {
        var current = self.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = self.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }
}
