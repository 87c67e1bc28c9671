/// Waits taken from input: a stop timeout, a healthcheck interval, an `until`. A request may ask for
/// any `Int64` of seconds or nanoseconds, but `Task.sleep` traps on a deadline its clock cannot hold
/// (`.seconds(Int64.max)` does), so every such wait is made with these, clamped to ``longestWait``.
extension Duration {
    /// The longest wait berthd arms: a hundred years, which is forever to a container.
    public static let longestWait: Duration = .seconds(longestWaitSeconds)

    private static let longestWaitSeconds: Int64 = 100 * 365 * 24 * 3600

    /// `seconds` as a wait: zero when negative, at most ``longestWait``.
    public static func wait(seconds: some BinaryInteger) -> Duration {
        guard seconds > 0 else { return .zero }
        guard let seconds = Int64(exactly: seconds), seconds < longestWaitSeconds else { return longestWait }
        return .seconds(seconds)
    }

    /// `nanoseconds` as a wait: zero when negative, at most ``longestWait``.
    public static func wait(nanoseconds: Int64) -> Duration {
        guard nanoseconds > 0 else { return .zero }
        return min(.nanoseconds(nanoseconds), longestWait)
    }
}
