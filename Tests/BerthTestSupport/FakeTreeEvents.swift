import Supervision
import Synchronization

/// The events of a `FakeTree`'s supervisor, kept so that a test can wait for one (a restart scheduled,
/// a child started again) instead of polling the tree's state.
public final class FakeTreeEvents: Sendable {
    private struct State {
        var seen: [SupervisionEvent] = []
        var waiters: [(event: SupervisionEvent, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    init(following supervisor: Supervisor) {
        let events = supervisor.events
        Task { [self] in
            for await event in events { record(event) }
        }
    }

    /// The events so far, in order.
    public var seen: [SupervisionEvent] { state.withLock { $0.seen } }

    /// Returns once `event` has happened (at once if it already has).
    public func wait(for event: SupervisionEvent) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let happened = state.withLock { s -> Bool in
                guard !s.seen.contains(event) else { return true }
                s.waiters.append((event, continuation))
                return false
            }
            if happened { continuation.resume() }
        }
    }

    private func record(_ event: SupervisionEvent) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.seen.append(event)
            let matching = s.waiters.filter { $0.event == event }
            s.waiters.removeAll { $0.event == event }
            return matching.map(\.continuation)
        }
        woken.forEach { $0.resume() }
    }
}
