import Messages

/// The waits of a container's healthcheck, from its `Healthcheck` in nanoseconds (zero, negative or
/// unset: Docker's default), each at most ``Duration/longestWait``: an image or a request may set any
/// `Int64`, and dockerd keeps even `Int64.max`.
struct HealthTimes: Equatable {
    var interval: Duration
    /// The interval during the start period (API 1.44's `StartInterval`), else ``interval``.
    var startInterval: Duration
    var startPeriod: Duration
    var timeout: Duration

    init(_ health: HealthConfig) {
        func wait(_ nanoseconds: Int64?) -> Duration? { nanoseconds.flatMap { $0 > 0 ? .wait(nanoseconds: $0) : nil } }
        interval = wait(health.Interval) ?? HealthDefaults.interval
        startInterval = wait(health.StartInterval) ?? interval
        startPeriod = wait(health.StartPeriod) ?? .zero
        timeout = wait(health.Timeout) ?? HealthDefaults.timeout
    }
}
