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
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let digits = fraction.prefix(9)
            guard let value = Int64(digits) else { return nil }
            nanoseconds = (digits.count..<9).reduce(value) { scaled, _ in scaled * 10 }
        }
        let (nano, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : nano + nanoseconds
    }
}
