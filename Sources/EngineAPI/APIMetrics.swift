import NIOHTTP1
import Prometheus
import Supervision
import Synchronization

/// The Prometheus registry of berthd: request counts and latencies of the API and of each child.
/// Gauges that describe state (children, containers) are computed when `/metrics` is scraped.
public final class APIMetrics: ChildRequestObserver, Sendable {
    public let registry: PrometheusCollectorRegistry
    private static let buckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]

    private static var apiRequests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "berth_api_requests_total", unitName: "", helpText: "Engine API requests")
    }
    private static var childRequests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "berth_child_requests_total", unitName: "", helpText: "Requests sent to a child")
    }

    /// The recorders already made, by what they count: the registry's own lookup (a name and label
    /// check under its lock) costs more than the request it counts.
    private let requestRecorders = Mutex<[RequestKey: RequestRecorder]>([:])
    private let childRecorders = Mutex<[ChildKey: RequestRecorder]>([:])

    private struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: UInt
    }

    private struct ChildKey: Hashable {
        var child: String
        var failed: Bool
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func requestFinished(method: HTTPMethod, route: String, status: UInt, duration: Duration) {
        recorder(method: method, route: route, status: status).record(duration)
    }

    /// The count and latency of one kind of request, looked up once for a path that records the same
    /// kind again and again.
    struct RequestRecorder: Sendable {
        fileprivate let counter: Counter
        fileprivate let histogram: DurationHistogram

        func record(_ duration: Duration) {
            counter.increment()
            histogram.record(duration)
        }
    }

    func recorder(method: HTTPMethod, route: String, status: UInt) -> RequestRecorder {
        let key = RequestKey(method: method.rawValue, route: route, status: status)
        if let recorder = requestRecorders.withLock({ $0[key] }) { return recorder }
        let recorder = RequestRecorder(
            counter: registry.makeCounter(descriptor: Self.apiRequests, labels: [("method", key.method), ("route", route), ("status", String(status))]),
            histogram: histogram("berth_api_request_duration", help: "Latency of Engine API requests", labels: [("route", route)]))
        requestRecorders.withLock { $0[key] = recorder }
        return recorder
    }

    public func requestFinished(child: String, duration: Duration, failed: Bool) {
        let key = ChildKey(child: child, failed: failed)
        if let recorder = childRecorders.withLock({ $0[key] }) { return recorder.record(duration) }
        let recorder = RequestRecorder(
            counter: registry.makeCounter(descriptor: Self.childRequests, labels: [("child", child), ("outcome", failed ? "error" : "ok")]),
            histogram: histogram("berth_child_request_duration", help: "Latency of requests to a child", labels: [("child", child)]))
        childRecorders.withLock { $0[key] = recorder }
        recorder.record(duration)
    }

    private func histogram(_ name: String, help: String, labels: [(String, String)]) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help), labels: labels, buckets: Self.buckets)
    }
}
