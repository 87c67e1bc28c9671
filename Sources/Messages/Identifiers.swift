import Foundation

/// Object identifiers in Docker's format: 64 lower-case hex digits.
public enum EngineID {
    /// A new random identifier.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let digits = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}

/// Wall-clock time as the Engine API writes it.
public enum UnixTime {
    /// Now, in nanoseconds since the Unix epoch.
    public static var nowNano: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// A time bound of a filter (`until`, `since`) in nanoseconds: Unix seconds (`1700000000`, with an
    /// optional fraction), or a duration before now (`10m`, `1h30m`, `45s`); `nil` when unreadable.
    public static func parseFilterTime(_ text: String) -> Int64? {
        if let seconds = Double(text) { return nanoseconds(seconds) }
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
        guard !text.isEmpty, let ago = nanoseconds(total) else { return nil }
        let (time, overflow) = nowNano.subtractingReportingOverflow(ago)
        return overflow ? nil : time
    }

    /// Seconds as whole nanoseconds; nil when not finite or beyond what an `Int64` holds (`1e30`, `nan`).
    static func nanoseconds(_ seconds: Double) -> Int64? {
        Int64(exactly: (seconds * 1e9).rounded(.towardZero))
    }
}
