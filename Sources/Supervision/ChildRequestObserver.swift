/// Told about every request sent through a `ChildRef`, for metrics.
public protocol ChildRequestObserver: Sendable {
    func requestFinished(child: String, duration: Duration, failed: Bool)
}
