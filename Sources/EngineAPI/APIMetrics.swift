import NIOHTTP1
import Prometheus
import Supervision

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

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func requestFinished(method: HTTPMethod, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(descriptor: Self.apiRequests, labels: [("method", "\(method)"), ("route", route), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "berth_api_request_duration", unitName: "seconds", helpText: "Latency of Engine API requests"),
            labels: [("route", route)], buckets: Self.buckets
        ).record(duration)
    }

    public func requestFinished(child: String, duration: Duration, failed: Bool) {
        registry.makeCounter(descriptor: Self.childRequests, labels: [("child", child), ("outcome", failed ? "error" : "ok")]).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "berth_child_request_duration", unitName: "seconds", helpText: "Latency of requests to a child"),
            labels: [("child", child)], buckets: Self.buckets
        ).record(duration)
    }
}
