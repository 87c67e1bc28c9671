import Messages

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock instant with nanosecond precision: when a log line was written.
public struct LogTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since the Unix epoch.
    public var seconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The current time of the real-time clock.
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LogTimestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    /// Parses the `since`/`until` form of the logs API, as dockerd does: Unix seconds with an optional
    /// fraction (`1700000000`, `1700000000.123456789`, `1700000000.5` = half a second).
    public init?(unixString: String) {
        guard let nano = UnixTime.parseSeconds(unixString) else { return nil }
        self.init(nano: nano)
    }

    /// The instant `nano` nanoseconds after the epoch (before it when negative).
    init(nano: Int64) {
        let (seconds, nanoseconds) = UnixTime.seconds(nano: nano)
        self.init(seconds: seconds, nanoseconds: Int32(nanoseconds))
    }

    /// Nanoseconds since the epoch, clamped to what an `Int64` holds (a time from a log file's line
    /// may lie just past it).
    public var nano: Int64 {
        UnixTime.nano(seconds: seconds, nanoseconds: Int64(nanoseconds)) ?? (seconds < 0 ? .min : .max)
    }

    public static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
