import Synchronization

/// The slot of one child in its supervisor: the current incarnation and what `/debug` shows of it.
///
/// `ChildRef`s read it synchronously on every request; only its supervisor writes it. Every change of
/// state wakes the requests waiting for the child to come back (``availability``), without polling.
final class ChildCell: Sendable {
    struct State: Sendable {
        var state: ChildState = .idle
        var incarnationNumber = 0
        var incarnation: Incarnation?
        var instance: (any SupervisedChild)?
        /// Set while a crashed incarnation is being stopped to be restarted (`state` is `stopping`).
        var restartAfterStop = false
        var restarts = 0
        var lastError: String?
        var backoff: Duration = .zero
        var retryAt: Duration?
        var runningSince: Duration?
        var info: [String: String] = [:]
        /// Fulfilled (and replaced) at the next change of `state` or incarnation.
        fileprivate var changed = OneShot<Void>()

        /// Whether a new incarnation is on its way: a request waits for it rather than fail.
        var comingBack: Bool {
            switch state {
            case .starting, .restarting: true
            case .stopping: restartAfterStop
            default: false
            }
        }
    }

    /// Who serves a request right now, or why nobody does.
    enum Availability {
        case serving(any SupervisedChild, Incarnation)
        /// A new incarnation is coming: `changed` is fulfilled at the child's next change of state.
        case comingBack(changed: OneShot<Void>, retryAt: Duration?, state: ChildState)
        /// Out of restarts, stopped, stuck or completed: it will not serve again.
        case gone(SupervisionError)
    }

    let name: String
    let restartType: RestartType
    private let state = Mutex(State())

    init(name: String, restartType: RestartType) {
        self.name = name
        self.restartType = restartType
    }

    func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }

    func update<T>(_ body: (inout State) -> T) -> T {
        let (result, changed) = state.withLock { s -> (T, OneShot<Void>?) in
            let before = (s.state, s.incarnationNumber, s.instance == nil)
            let result = body(&s)
            guard before != (s.state, s.incarnationNumber, s.instance == nil) else { return (result, nil) }
            defer { s.changed = OneShot() }
            return (result, s.changed)
        }
        changed?.fulfill(())
        return result
    }

    var availability: Availability {
        state.withLock { s in
            if s.state == .running, let instance = s.instance, let incarnation = s.incarnation {
                return .serving(instance, incarnation)
            }
            if s.comingBack { return .comingBack(changed: s.changed, retryAt: s.retryAt, state: s.state) }
            return .gone(.unavailable(child: name, state: s.state, retryAfter: nil))
        }
    }
}
