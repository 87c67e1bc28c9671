/// What happened in a supervision tree, in order, for logs, metrics and tests.
public enum SupervisionEvent: Sendable, Equatable {
    case started(child: String, incarnation: Int)
    case completed(child: String)
    case failed(child: String, reason: String)
    case restartScheduled(child: String, attempt: Int, delay: Duration)
    case stopped(child: String)
    case stuck(child: String)
    case treeReady
    case treeStopped(error: SupervisionError?)
}
