import Synchronization

/// The slot of one child in its supervisor: the current incarnation and what `/debug` shows of it.
///
/// `ChildRef`s read it synchronously on every request, so a child that is not serving is answered at
/// once; only its supervisor writes it.
final class ChildCell: Sendable {
    struct State: Sendable {
        var state: ChildState = .idle
        var incarnationNumber = 0
        var incarnation: Incarnation?
        var instance: (any SupervisedChild)?
        var restarts = 0
        var lastError: String?
        var backoff: Duration = .zero
        var retryAt: Duration?
        var runningSince: Duration?
        var info: [String: String] = [:]
    }

    let name: String
    let restartType: RestartType
    private let state = Mutex(State())

    init(name: String, restartType: RestartType) {
        self.name = name
        self.restartType = restartType
    }

    func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    func update<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }

    /// The incarnation serving requests, or the reason there is none.
    func serving(now: Duration) throws(SupervisionError) -> (any SupervisedChild, Incarnation) {
        let current = state.withLock { s -> Result<(any SupervisedChild, Incarnation), SupervisionError> in
            if s.state == .running, let instance = s.instance, let incarnation = s.incarnation {
                return .success((instance, incarnation))
            }
            let retryAfter = s.retryAt.map { max($0 - now, .zero) }
            return .failure(.unavailable(child: name, state: s.state, retryAfter: retryAfter))
        }
        return try current.get()
    }
}
