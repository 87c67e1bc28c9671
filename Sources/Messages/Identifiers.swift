import Foundation

/// Object identifiers in Docker's format: 64 lower-case hex digits.
public enum EngineID {
    /// A new random identifier.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}

/// Wall-clock time as the Engine API writes it.
public enum UnixTime {
    /// Now, in nanoseconds since the Unix epoch.
    public static var nowNano: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// RFC 3339 with nanoseconds in UTC, as Docker prints `Created` and `SystemTime`.
    public static func rfc3339(nano: Int64) -> String {
        let seconds = nano / 1_000_000_000
        let fraction = nano % 1_000_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: some BinaryInteger, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(parts.tm_year + 1900, 4) + "-" + padded(parts.tm_mon + 1, 2) + "-" + padded(parts.tm_mday, 2) + "T"
            + padded(parts.tm_hour, 2) + ":" + padded(parts.tm_min, 2) + ":" + padded(parts.tm_sec, 2) + "." + padded(fraction, 9) + "Z"
    }

    /// A time bound of a filter (`until`, `since`) in nanoseconds: Unix seconds (`1700000000`, with an
    /// optional fraction), or a duration before now (`10m`, `1h30m`, `45s`); `nil` when unreadable.
    public static func parseFilterTime(_ text: String) -> Int64? {
        if let seconds = Double(text) { return Int64(seconds * 1e9) }
        let units: [Substring: Double] = ["ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600]
        var total = 0.0
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let match = rest.prefixMatch(of: #/([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)/#), let amount = Double(match.1), let scale = units[match.2] else {
                return nil
            }
            total += amount * scale
            rest = rest[match.range.upperBound...]
        }
        return text.isEmpty ? nil : nowNano - Int64(total * 1e9)
    }
}
