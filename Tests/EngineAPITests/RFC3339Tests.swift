import Foundation
import Messages
import Testing

@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test func readsWholeSecondsFractionsAndOffsets() {
        #expect(UnixTime.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(UnixTime.parseRFC3339("2024-02-29T12:34:56Z") == 1_709_210_096_000_000_000)
        #expect(UnixTime.parseRFC3339("2024-02-29T12:34:56.5Z") == 1_709_210_096_500_000_000)
        // Go writes nine digits; digits past the ninth are dropped.
        #expect(UnixTime.parseRFC3339("2024-02-29T12:34:56.123456789Z") == 1_709_210_096_123_456_789)
        #expect(UnixTime.parseRFC3339("2024-02-29T12:34:56.1234567891Z") == 1_709_210_096_123_456_789)
        #expect(UnixTime.parseRFC3339("2024-02-29T14:34:56+02:00") == 1_709_210_096_000_000_000)
        #expect(UnixTime.parseRFC3339("2024-02-29t10:04:56-02:30") == 1_709_210_096_000_000_000)
        #expect(UnixTime.parseRFC3339("1969-12-31T23:59:59Z") == -1_000_000_000)
    }

    @Test func agreesWithFoundationOverManyDays() throws {
        let formatter = ISO8601DateFormatter()
        for day in stride(from: -100_000, through: 106_000, by: 97) {
            let seconds = day * 86_400 + 3_723
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(UnixTime.parseRFC3339(text) == Int64(seconds) * 1_000_000_000, "\(text)")
        }
    }

    @Test func refusesWhatIsNotOne() {
        for text in ["", "2024-02-29", "2024-02-29T12:34:56", "2024-13-01T00:00:00Z", "2024-02-29T24:00:00Z",
                     "2024-02-29T12:34:56.Z", "2024-02-29T12:34:56Zjunk", "2024-02-29T12:34:56+0200", "24-02-29T12:34:56Z", "3000-01-01T00:00:00Z"] {
            #expect(UnixTime.parseRFC3339(text) == nil, "\(text)")
        }
    }

    @Test func writesWhatItReads() {
        let nano: Int64 = 1_709_210_096_123_456_789
        #expect(UnixTime.rfc3339(nano: nano) == "2024-02-29T12:34:56.123456789Z")
        #expect(UnixTime.rfc3339(nano: nano, fraction: .omitted) == "2024-02-29T12:34:56Z")
        #expect(UnixTime.rfc3339(seconds: 1_709_210_096, nanoseconds: 120_000_000, fraction: .trimmed) == "2024-02-29T12:34:56.12Z")
        #expect(UnixTime.rfc3339(seconds: 1_709_210_096, nanoseconds: 0, fraction: .trimmed) == "2024-02-29T12:34:56Z")
        #expect(UnixTime.parseRFC3339(UnixTime.rfc3339(nano: nano)) == nano)
    }

    @Test func writesTimesBeforeTheEpoch() {
        #expect(UnixTime.rfc3339(nano: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(UnixTime.rfc3339(nano: -1_500_000_000, fraction: .trimmed) == "1969-12-31T23:59:58.5Z")
        #expect(UnixTime.parseRFC3339(UnixTime.rfc3339(nano: -1_500_000_000)) == -1_500_000_000)
    }

    @Test func readsUnixSecondsWithAFraction() {
        #expect(UnixTime.parseSeconds("1700000000") == 1_700_000_000_000_000_000)
        #expect(UnixTime.parseSeconds("1700000000.5") == 1_700_000_000_500_000_000)
        #expect(UnixTime.parseSeconds("1700000000.123456789123") == 1_700_000_000_123_456_789)
        for text in ["", "yesterday", "1.x", "12.", ".5", "1.-5", "99999999999999999999", "9223372036.999999999"] {
            #expect(UnixTime.parseSeconds(text) == nil, "\(text)")
        }
    }
}
