/// The errors of the supervision runtime: what a caller of a `ChildRef` sees when the child cannot
/// answer, and why a supervisor's `run()` ended.
public enum SupervisionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The child is not serving: starting, restarting, stopping or gone. `retryAfter` is when it is
    /// expected back, if known.
    case unavailable(child: String, state: ChildState, retryAfter: Duration?)
    /// The child was restarting and did not serve again within the time the request could wait.
    case notBack(child: String, state: ChildState, waited: Duration)
    /// The child's incarnation ended while the request was in flight.
    case childTerminated(child: String)
    /// The request was not answered in time.
    case timeout(child: String, after: Duration)
    /// No child has this name.
    case unknownChild(String)
    /// The child is running but is not of the type the reference expected.
    case wrongType(child: String, expected: String)
    /// A child failed to start during boot; the started ones were stopped again.
    case bootFailed(child: String, reason: String)
    /// A child restarted more often than its intensity allows; the tree was stopped.
    case intensityExceeded(child: String, restarts: Int, period: Duration)
    /// These children did not stop within their shutdown budgets.
    case stuck(children: [String])
    /// A fault injected on purpose.
    case injected(child: String, fault: String)

    public var description: String {
        switch self {
        case let .unavailable(child, state, retryAfter):
            if let retryAfter {
                let seconds = (retryAfter.seconds * 10).rounded(.up) / 10
                return "\(child) is \(state.rawValue); it should be back in about \(seconds) s"
            }
            return "\(child) is \(state.rawValue) and cannot answer"
        case let .notBack(child, state, waited):
            return "\(child) is \(state.rawValue) and did not come back within \(waited.seconds) s"
        case let .childTerminated(child):
            return "\(child) stopped while handling the request"
        case let .timeout(child, after):
            return "\(child) did not answer within \(after.seconds) s"
        case let .unknownChild(name):
            return "no child named \(name)"
        case let .wrongType(child, expected):
            return "\(child) does not answer \(expected) requests"
        case let .bootFailed(child, reason):
            return "\(child) failed to start: \(reason)"
        case let .intensityExceeded(child, restarts, period):
            return "\(child) restarted more than \(restarts) times within \(period.seconds) s; giving up"
        case let .stuck(children):
            return "did not stop within the shutdown budget: \(children.joined(separator: ", "))"
        case let .injected(child, fault):
            return "injected fault \(fault) in \(child)"
        }
    }
}
