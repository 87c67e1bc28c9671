import Messages
import Supervision
import NIOHTTP1
import Testing

@testable import EngineAPI

/// Numbers a request carries that once trapped the daemon (issue 18): each is now a 400 or a clamp.
@Suite struct HostileRequestTests {
    func stopTimeout(_ t: String) throws -> Int? {
        try ContainerRoutes.stopTimeout(HTTPRequest(method: .POST, uri: "/containers/c/stop?t=" + t))
    }

    @Test func stopTimeoutTakesAnyIntAndRefusesTheRest() throws {
        #expect(try stopTimeout("9223372036854775807") == Int.max)
        #expect(try stopTimeout("-9223372036854775808") == Int.min)
        #expect(try stopTimeout("-1") == -1)
        #expect(try stopTimeout("") == nil)
        for text in ["99999999999999999999", "abc", "1e3", "1.5"] {
            #expect(throws: EngineErrorResponse(status: .badRequest, message: "invalid value for t: \(text)")) { try stopTimeout(text) }
        }
    }

    @Test func stopBudgetOfExtremeTimeoutsIsBounded() {
        #expect(RequestDeadline.containerStop(Int.max).budget == .longestWait + .seconds(60))
        #expect(RequestDeadline.containerStop(Int.min).budget == .longestWait + .seconds(60))
        #expect(RequestDeadline.containerStop(-1).budget == .longestWait + .seconds(60))
        #expect(RequestDeadline.containerStop(10).budget == .seconds(70))
        #expect(RequestDeadline.containerStop(nil).budget == .seconds(3600))
    }

    @Test func waitsAreClamped() {
        #expect(Duration.wait(seconds: Int64.max) == .longestWait)
        #expect(Duration.wait(seconds: Int.min) == .zero)
        #expect(Duration.wait(seconds: UInt64.max) == .longestWait)
        #expect(Duration.wait(seconds: 10) == .seconds(10))
        #expect(Duration.wait(nanoseconds: Int64.max) == .longestWait)
        #expect(Duration.wait(nanoseconds: -1) == .zero)
        #expect(Duration.wait(nanoseconds: 1_500_000_000) == .milliseconds(1500))
    }

    /// `Task.sleep(for: .seconds(Int64.max))` traps; the longest wait is one a clock can arm.
    @Test func theLongestWaitCanBeSlept() async {
        let sleeper = Task { try await Task.sleep(for: .longestWait) }
        sleeper.cancel()
        #expect(await sleeper.result.isCancelled)
    }

    @Test func filterTimesBeyondInt64AreUnreadable() {
        for text in ["1e30", "-1e30", "nan", "inf", "99999999999999999999", "99999999999h", "9223372036.854775807", ""] {
            #expect(UnixTime.parseFilterTime(text) == nil, "\(text)")
        }
        #expect(UnixTime.parseFilterTime("1700000000.5") == 1_700_000_000_500_000_000)
        #expect(UnixTime.parseFilterTime("10m").map { UnixTime.nowNano - $0 >= 600_000_000_000 } == true)
    }

    @Test func realtimeSignalOffsetsBeyondInt32AreUnknown() throws {
        #expect(try Signals.parse("SIGRTMIN+3") == 37)
        #expect(try Signals.parse("RTMIN") == 34)
        for name in ["SIGRTMIN+99999999999999999999", "RTMAX-9223372036854775808", "RTMIN+31"] {
            #expect(throws: EngineError.self) { try Signals.parse(name) }
        }
    }

    @Test func hostPortsAreCheckedRanges() {
        func ports(_ text: String) -> ClosedRange<Int>? { PortRequest(containerPort: 80, proto: "tcp", hostIP: "", hostPort: text).hostPorts }
        #expect(ports("") == 0...0)
        #expect(ports("8080") == 8080...8080)
        #expect(ports("8000-8010") == 8000...8010)
        #expect(ports("0-65535") == 0...65535)
        for text in ["99999", "1-70000", "9000-8000", "-5", "1-2-3", "x", "99999999999999999999", "80-"] {
            #expect(ports(text) == nil, "\(text)")
        }
    }
}

extension Result {
    var isCancelled: Bool {
        if case .failure(let error) = self { return error is CancellationError }
        return false
    }
}
