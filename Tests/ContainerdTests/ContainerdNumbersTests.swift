import ContainerdAPI
import SwiftProtobuf
import Testing

@testable import Containerd

/// Numbers containerd sends are input too (issue 18): a timestamp past what nanoseconds in an `Int64`
/// hold reads as unknown (0) instead of trapping.
@Suite struct ContainerdNumbersTests {
    @Test func exitTimestampsOutOfRangeReadAsUnknown() {
        func timestamp(_ seconds: Int64, _ nanos: Int32) -> Google_Protobuf_Timestamp {
            Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
        }
        #expect(ContainerdChild.nanos(timestamp(1_700_000_000, 5)) == 1_700_000_000_000_000_005)
        #expect(ContainerdChild.nanos(timestamp(.max, 0)) == 0)
        #expect(ContainerdChild.nanos(timestamp(9_223_372_036, 999_999_999)) == 0)
        #expect(ContainerdChild.nanos(timestamp(-5, 0)) == 0)
        #expect(ContainerdChild.nanos(timestamp(1, -1)) == 999_999_999)
        #expect(ContainerdChild.nanos(nil) == 0)
    }
}
