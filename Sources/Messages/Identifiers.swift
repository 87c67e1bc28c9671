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
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, fraction)
    }
}
