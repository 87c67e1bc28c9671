/// Go's `%q` formatting, as dockerd writes commands and health checks into an image's history.
public enum GoQuoted {
    /// A string slice: `["cat" "/f.txt"]`.
    public static func list(_ words: [String]) -> String {
        "[" + words.map(GoText.quote).joined(separator: " ") + "]"
    }

    /// A `time.Duration` in nanoseconds, as Go's `String()` writes it and `%q` quotes it: `"1m30s"`,
    /// `"1.5ms"`, `"0s"`.
    public static func duration(_ nanoseconds: Int64) -> String {
        GoText.quote(durationText(nanoseconds))
    }

    /// An integer as `%q` prints one: the character it codes, quoted (`'\x00'`, `'A'`).
    public static func rune(_ value: Int) -> String {
        switch value {
        case 0x27: return #"'\''"#
        case 0x5C: return #"'\\'"#
        case 0x07: return #"'\a'"#
        case 0x08: return #"'\b'"#
        case 0x0C: return #"'\f'"#
        case 0x0A: return #"'\n'"#
        case 0x0D: return #"'\r'"#
        case 0x09: return #"'\t'"#
        case 0x0B: return #"'\v'"#
        case 0x20..<0x7F: return "'" + String(UnicodeScalar(UInt8(value))) + "'"
        case 0..<0x100: return #"'\x"# + GoText.hex(UInt32(value), digits: 2) + "'"
        case 0x100..<0x10000: return #"'\u"# + GoText.hex(UInt32(value), digits: 4) + "'"
        default: return #"'\U"# + GoText.hex(UInt32(clamping: value), digits: 8) + "'"
        }
    }

    private static func durationText(_ nanoseconds: Int64) -> String {
        guard nanoseconds != 0 else { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let value = nanoseconds.magnitude
        if value < 1_000 { return sign + "\(value)ns" }
        if value < 1_000_000 { return sign + decimal(value, unit: 1_000) + "µs" }
        if value < 1_000_000_000 { return sign + decimal(value, unit: 1_000_000) + "ms" }
        let seconds = value / 1_000_000_000
        let text = decimal(value % 60_000_000_000, unit: 1_000_000_000) + "s"
        let (hours, minutes) = (seconds / 3600, seconds / 60 % 60)
        if hours > 0 { return sign + "\(hours)h\(minutes)m" + text }
        if minutes > 0 { return sign + "\(minutes)m" + text }
        return sign + text
    }

    /// `value / unit` with its fraction, trailing zeros dropped (`1500, 1000` → `1.5`).
    private static func decimal(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(unit).count - 1
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}
