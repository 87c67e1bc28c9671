import Synchronization

/// A fault to inject into one child, for tests of the tree's healing.
public enum Fault: Sendable, Hashable {
    /// The running incarnation fails now.
    case crash
    /// The next `count` starts of the child fail.
    case failStart(count: Int)
    /// The child stops answering requests until the faults are cleared (requests time out).
    case hang
    /// Every request to the child is delayed by this much.
    case delay(Duration)

    /// The name used on the wire (`crash`, `fail-start`, `hang`, `delay`).
    public var name: String {
        switch self {
        case .crash: "crash"
        case .failStart: "fail-start"
        case .hang: "hang"
        case .delay: "delay"
        }
    }
}

/// The faults currently armed, per child. Shared by a supervisor (start failures, crashes) and the
/// `ChildRef`s of its children (hangs and delays on requests).
public final class FaultInjector: Sendable {
    private struct Armed {
        var failStarts = 0
        var hang: OneShot<Void>?
        var delay: Duration?
    }

    private let armed = Mutex<[String: Armed]>([:])

    public init() {}

    /// Arms a request-path or start-path fault. `crash` is carried out by the supervisor, not stored.
    func arm(_ fault: Fault, for child: String) {
        armed.withLock { all in
            var entry = all[child, default: Armed()]
            switch fault {
            case .crash: break
            case .failStart(let count): entry.failStarts += max(count, 0)
            case .hang: entry.hang = entry.hang ?? OneShot<Void>()
            case .delay(let duration): entry.delay = duration
            }
            all[child] = entry
        }
    }

    /// Disarms every fault and releases hung requests.
    public func clear() {
        let hung = armed.withLock { all -> [OneShot<Void>] in
            defer { all.removeAll() }
            return all.values.compactMap(\.hang)
        }
        hung.forEach { $0.fulfill(()) }
    }

    /// Consumes one armed start failure for `child`, if any.
    func takeStartFailure(for child: String) -> Bool {
        armed.withLock { all in
            guard let count = all[child]?.failStarts, count > 0 else { return false }
            all[child]?.failStarts = count - 1
            return true
        }
    }

    /// Applies the request-path faults of `child`: waits out a delay, and a hang until it is cleared.
    func beforeRequest(to child: String, clock: any SupervisionClock) async throws {
        let (hang, delay) = armed.withLock { ($0[child]?.hang, $0[child]?.delay) }
        if let delay { try await clock.sleep(for: delay) }
        if let hang { _ = await hang.wait() }
    }

    /// The faults armed right now, by child (for `/debug`).
    public var description: [String: [String]] {
        armed.withLock { all in
            all.mapValues { entry in
                var names: [String] = []
                if entry.failStarts > 0 { names.append("fail-start(\(entry.failStarts))") }
                if entry.hang != nil { names.append("hang") }
                if let delay = entry.delay { names.append("delay(\(delay.milliseconds)ms)") }
                return names
            }.filter { !$0.value.isEmpty }
        }
    }
}
