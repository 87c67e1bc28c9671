import Containers
import Messages
import Testing

@Suite struct LogsTimestampTests {
    @Test func formatsRFC3339InUTC() {
        let instant = LogTimestamp(seconds: 1_764_393_273, nanoseconds: 123_456_789)
        #expect(instant.rfc3339(fixedWidth: true) == "2025-11-29T05:14:33.123456789Z")
        #expect(instant.rfc3339(fixedWidth: false) == "2025-11-29T05:14:33.123456789Z")
        let tenths = LogTimestamp(seconds: 1_764_393_273, nanoseconds: 120_000_000)
        #expect(tenths.rfc3339(fixedWidth: true) == "2025-11-29T05:14:33.120000000Z")
        #expect(tenths.rfc3339(fixedWidth: false) == "2025-11-29T05:14:33.12Z")
        #expect(LogTimestamp(seconds: 0).rfc3339(fixedWidth: false) == "1970-01-01T00:00:00Z")
        #expect(LogTimestamp(seconds: 951_782_400).rfc3339(fixedWidth: false) == "2000-02-29T00:00:00Z")
    }

    @Test func parsesRFC3339() {
        #expect(LogTimestamp(rfc3339: "2025-11-29T05:14:33.123456789Z") == LogTimestamp(seconds: 1_764_393_273, nanoseconds: 123_456_789))
        #expect(LogTimestamp(rfc3339: "2025-11-29T05:14:33.12Z") == LogTimestamp(seconds: 1_764_393_273, nanoseconds: 120_000_000))
        #expect(LogTimestamp(rfc3339: "2025-11-29T06:14:33+01:00") == LogTimestamp(seconds: 1_764_393_273))
        #expect(LogTimestamp(rfc3339: "2025-11-29 05:14:33Z") == nil)
        #expect(LogTimestamp(rfc3339: "2025-11-29T05:14:33") == nil)
    }

    @Test func roundTripsAcrossDates() {
        for seconds in stride(from: Int64(-86_400 * 400), through: 4_102_444_800, by: 7_654_321) {
            let instant = LogTimestamp(seconds: seconds, nanoseconds: 5)
            #expect(LogTimestamp(rfc3339: instant.rfc3339(fixedWidth: false)) == instant)
        }
    }

    @Test func parsesUnixSecondsWithFraction() throws {
        #expect(LogTimestamp(unixString: "1700000000") == LogTimestamp(seconds: 1_700_000_000))
        #expect(LogTimestamp(unixString: "1700000000.123456789") == LogTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        #expect(LogTimestamp(unixString: "1700000000.5") == LogTimestamp(seconds: 1_700_000_000, nanoseconds: 500_000_000))
        #expect(LogTimestamp(unixString: "yesterday") == nil)
        #expect(LogTimestamp(unixString: "1.x") == nil)
        #expect(try LogReadOptions.instant("0") == nil)
        #expect(try LogReadOptions.instant(nil) == nil)
        #expect(try LogReadOptions.instant("12.25") == LogTimestamp(seconds: 12, nanoseconds: 250_000_000))
        #expect(throws: EngineError.self) { try LogReadOptions.instant("soon") }
    }

    @Test func readsTailAsDockerdDoes() {
        #expect(LogReadOptions.tail("all") == nil)
        #expect(LogReadOptions.tail(nil) == nil)
        #expect(LogReadOptions.tail("-3") == nil)
        #expect(LogReadOptions.tail("0") == 0)
        #expect(LogReadOptions.tail("10") == 10)
    }
}
