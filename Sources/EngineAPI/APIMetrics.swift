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
        return cached(key, in: requestRecorders) {
            RequestRecorder(
                counter: registry.makeCounter(descriptor: Self.apiRequests, labels: [("method", key.method), ("route", route), ("status", String(status))]),
                histogram: histogram("berth_api_request_duration", help: "Latency of Engine API requests", labels: [("route", route)]))
        }
    }

    public func requestFinished(child: String, duration: Duration, failed: Bool) {
        let recorder = cached(ChildKey(child: child, failed: failed), in: childRecorders) {
            RequestRecorder(
                counter: registry.makeCounter(descriptor: Self.childRequests, labels: [("child", child), ("outcome", failed ? "error" : "ok")]),
                histogram: histogram("berth_child_request_duration", help: "Latency of requests to a child", labels: [("child", child)]))
        }
        recorder.record(duration)
    }

    /// The recorder `cache` holds for `key`, made by `make` the first time.
    private func cached<Key: Hashable & Sendable>(
        _ key: Key, in cache: borrowing Mutex<[Key: RequestRecorder]>, make: () -> RequestRecorder
    ) -> RequestRecorder {
        if let recorder = cache.withLock({ $0[key] }) { return recorder }
        let recorder = make()
        cache.withLock { $0[key] = recorder }
        return recorder
    }

    private func histogram(_ name: String, help: String, labels: [(String, String)]) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help), labels: labels, buckets: Self.buckets)
    }
}
