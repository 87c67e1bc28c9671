import Messages

extension LogTimestamp {
    /// The instant in RFC 3339, UTC, with nanoseconds: fixed at nine digits as `docker logs --timestamps`
    /// prints it (`2026-11-29T05:14:33.120000000Z`), or with trailing zeros dropped as Go's `RFC3339Nano`
    /// and so json-file log entries write it (`2026-11-29T05:14:33.12Z`, no fraction at all when zero).
    public func rfc3339(fixedWidth: Bool) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        var text = Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
        text += "T" + Self.padded(secondOfDay / 3600, 2) + ":" + Self.padded(secondOfDay / 60 % 60, 2) + ":" + Self.padded(secondOfDay % 60, 2)
        var fraction = Self.padded(Int64(nanoseconds), 9)
        if !fixedWidth {
            while fraction.last == "0" { fraction.removeLast() }
        }
        return text + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }

    /// Parses RFC 3339 with an optional fraction and a `Z` or `±hh:mm` offset.
    public init?(rfc3339 text: String) {
        guard let nano = UnixTime.parseRFC3339(text) else { return nil }
        let (seconds, remainder) = nano.quotientAndRemainder(dividingBy: 1_000_000_000)
        self = remainder < 0
            ? LogTimestamp(seconds: seconds - 1, nanoseconds: Int32(remainder + 1_000_000_000))
            : LogTimestamp(seconds: seconds, nanoseconds: Int32(remainder))
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
