/// Unix seconds as the logs and events APIs take them in `since` and `until`.
extension UnixTime {
    /// Parses Unix seconds with an optional fraction of up to nine significant digits, as dockerd
    /// reads them (`1700000000`, `1700000000.123456789`, `1700000000.5` = half a second): nanoseconds
    /// since the epoch, or `nil`.
    public static func parseSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let seconds = Int64(parts[0]) else { return nil }
        var nanoseconds: Int64 = 0
        if parts.count == 2 {
            var scanner = DigitScanner(Array(parts[1].utf8))
            guard let fraction = scanner.nanoseconds(), scanner.atEnd else { return nil }
            nanoseconds = fraction
        }
        return nano(seconds: seconds, nanoseconds: nanoseconds)
    }

    /// Seconds and nanoseconds as nanoseconds since the epoch; nil outside what an `Int64` holds
    /// (1677 to 2262).
    public static func nano(seconds: Int64, nanoseconds: Int64) -> Int64? {
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nano, tooLate) = whole.addingReportingOverflow(nanoseconds)
        return overflow || tooLate ? nil : nano
    }

    /// Nanoseconds since the epoch as whole seconds and the nanoseconds past them, rounded down: a
    /// time before the epoch has negative seconds and a fraction in 0..<1 000 000 000 all the same.
    public static func seconds(nano: Int64) -> (seconds: Int64, nanoseconds: Int) {
        let (seconds, remainder) = nano.quotientAndRemainder(dividingBy: 1_000_000_000)
        return remainder < 0 ? (seconds - 1, Int(remainder + 1_000_000_000)) : (seconds, Int(remainder))
    }
}
