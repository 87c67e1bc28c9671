import Foundation

/// RFC 3339 times, written and read without Foundation's date formatters (which load ICU's locale data).
extension UnixTime {
    /// How an RFC 3339 time writes the fraction of its second.
    public enum Fraction: Sendable {
        /// Nine digits, always (Docker's `Created`, `SystemTime`, `docker logs --timestamps`).
        case nanoseconds
        /// Without trailing zeros, and no fraction when it is zero (Go's `time.RFC3339Nano`).
        case trimmed
        /// Whole seconds (Go's `time.RFC3339`).
        case omitted
    }

    /// A time in nanoseconds since the epoch in RFC 3339, UTC.
    public static func rfc3339(nano: Int64, fraction: Fraction = .nanoseconds) -> String {
        let (seconds, nanoseconds) = UnixTime.seconds(nano: nano)
        return rfc3339(seconds: seconds, nanoseconds: nanoseconds, fraction: fraction)
    }

    /// A time in seconds since the epoch and nanoseconds within its second in RFC 3339, UTC.
    public static func rfc3339(seconds: Int64, nanoseconds: Int, fraction: Fraction) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: some BinaryInteger, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(parts.tm_year + 1900, 4) + "-" + padded(parts.tm_mon + 1, 2) + "-" + padded(parts.tm_mday, 2) + "T"
            + padded(parts.tm_hour, 2) + ":" + padded(parts.tm_min, 2) + ":" + padded(parts.tm_sec, 2)
        var digits = fraction == .omitted ? "" : padded(nanoseconds, 9)
        if fraction == .trimmed {
            while digits.last == "0" { digits.removeLast() }
        }
        if !digits.isEmpty { text += "." + digits }
        return text + "Z"
    }

    /// Nanoseconds since the epoch of an RFC 3339 time: `2024-01-02T03:04:05Z`, with an optional
    /// fraction (nine digits are kept) and `Z` or a `±hh:mm` offset; nil when the text is not one or
    /// lies outside what nanoseconds in an `Int64` hold.
    public static func parseRFC3339(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("Tt"), let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"), let second = scanner.number(digits: 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var nanoseconds: Int64 = 0
        if scanner.skip(".") {
            guard let fraction = scanner.nanoseconds() else { return nil }
            nanoseconds = fraction
        }
        var offset = 0
        if !scanner.skip("Zz") {
            guard let sign = scanner.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                let hours = scanner.number(digits: 2), scanner.skip(":"), let minutes = scanner.number(digits: 2)
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard scanner.atEnd else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return nano(seconds: Int64(seconds), nanoseconds: nanoseconds)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the civil-from-days
    /// algorithm, run backwards: years counted from March, so the leap day ends a year).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
