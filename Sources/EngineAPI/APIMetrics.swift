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

    /// The counters and histograms already made, by their labels: the registry's own lookup (a name
    /// and label check under its lock) costs more than the request it counts.
    private let counters = Mutex<[[String]: Counter]>([:])
    private let histograms = Mutex<[[String]: DurationHistogram]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func requestFinished(method: HTTPMethod, route: String, status: UInt, duration: Duration) {
        recorder(method: method, route: route, status: status).record(duration)
    }

    /// The count and latency of one kind of API request, looked up once for a path that records the same
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
        RequestRecorder(
            counter: counter(Self.apiRequests, labels: [("method", method.rawValue), ("route", route), ("status", String(status))]),
            histogram: histogram("berth_api_request_duration", help: "Latency of Engine API requests", labels: [("route", route)]))
    }

    public func requestFinished(child: String, duration: Duration, failed: Bool) {
        counter(Self.childRequests, labels: [("child", child), ("outcome", failed ? "error" : "ok")]).increment()
        histogram("berth_child_request_duration", help: "Latency of requests to a child", labels: [("child", child)]).record(duration)
    }

    private func counter(_ descriptor: MetricNameDescriptor, labels: [(String, String)]) -> Counter {
        let key = [descriptor.name] + labels.map(\.1)
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = registry.makeCounter(descriptor: descriptor, labels: labels)
        counters.withLock { $0[key] = counter }
        return counter
    }

    private func histogram(_ name: String, help: String, labels: [(String, String)]) -> DurationHistogram {
        let key = [name] + labels.map(\.1)
        if let histogram = histograms.withLock({ $0[key] }) { return histogram }
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help), labels: labels, buckets: Self.buckets)
        histograms.withLock { $0[key] = histogram }
        return histogram
    }
}
