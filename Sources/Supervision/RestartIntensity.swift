/// The restart-intensity limit of a child: at most `maxRestarts` restarts within any window of `period`.
///
/// Exceeding it means restarting does not help: the supervisor then stops the whole tree and fails, so the
/// process exits non-zero and its own supervisor (systemd) decides what comes next. Every restart attempt
/// counts, including attempts whose start failed.
public struct RestartIntensity: Sendable, Hashable, Codable {
    public var maxRestarts: Int
    public var period: Duration

    public init(maxRestarts: Int = 8, period: Duration = .seconds(60)) {
        self.maxRestarts = maxRestarts
        self.period = period
    }
}

/// The sliding window of restart instants that enforces a `RestartIntensity`.
struct RestartWindow: Sendable {
    let limit: RestartIntensity
    private(set) var instants: [Duration] = []

    init(limit: RestartIntensity) { self.limit = limit }

    /// Records a restart at `now`; returns false when that restart exceeds the limit.
    mutating func record(at now: Duration) -> Bool {
        instants.removeAll { now - $0 >= limit.period }
        instants.append(now)
        return instants.count <= limit.maxRestarts
    }
}
