/// The delay before a failed child is started again.
///
/// For the *n*-th restart in a row (n = 1, 2, …) the delay is
///
///     delay(n) = min(cap, initial × multiplierⁿ⁻¹) × (1 + jitter × r),   r uniform in [0, 1)
///
/// The cap bounds the exponential part and the jitter comes on top of it, so children that fail together
/// do not all come back at the same instant. The streak `n` returns to 0 when an incarnation has been
/// running for `resetAfter` without failing: a child that crashes once a day always restarts after
/// `initial`.
///
/// With the defaults (initial 100 ms, multiplier 2, cap 10 s, jitter 0.2, reset after 30 s):
///
/// | restart n | without jitter | with the most jitter |
/// |-----------|---------------:|---------------------:|
/// | 1         |         0.1 s  |               0.12 s |
/// | 2         |         0.2 s  |               0.24 s |
/// | 3         |         0.4 s  |               0.48 s |
/// | 4         |         0.8 s  |               0.96 s |
/// | 5         |         1.6 s  |               1.92 s |
/// | 6         |         3.2 s  |               3.84 s |
/// | 7         |         6.4 s  |               7.68 s |
/// | 8 and on  |        10.0 s  |              12.00 s |
///
/// Backoff decides *when* a child comes back; `RestartIntensity` decides *whether* it may.
public struct Backoff: Sendable, Hashable, Codable {
    public var initial: Duration
    public var multiplier: Double
    public var cap: Duration
    /// The largest extra fraction added at random (0.2 = up to +20 %).
    public var jitter: Double
    /// Running this long without a failure resets the streak.
    public var resetAfter: Duration

    public init(
        initial: Duration = .milliseconds(100), multiplier: Double = 2, cap: Duration = .seconds(10),
        jitter: Double = 0.2, resetAfter: Duration = .seconds(30)
    ) {
        self.initial = initial
        self.multiplier = multiplier
        self.cap = cap
        self.jitter = jitter
        self.resetAfter = resetAfter
    }

    /// The delay before restart number `attempt` (1-based) of a streak, for a random draw `random` in [0, 1).
    public func delay(attempt: Int, random: Double) -> Duration {
        let base = initial.seconds * power(multiplier, Double(max(attempt, 1) - 1))
        let capped = min(base, cap.seconds)
        return .seconds(capped * (1 + jitter * min(max(random, 0), 1)))
    }
}

extension Duration {
    /// This duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// This duration in whole milliseconds (rounded).
    public var milliseconds: Int64 { Int64((seconds * 1000).rounded()) }
}

private func power(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
}
