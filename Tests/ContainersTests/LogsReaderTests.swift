import Containers
import Messages
import Testing

/// Each entry of these tests is 66 bytes (`{"log":"line N\n","stream":"stdout","time":"2023-11-14T22:13:2NZ"}`),
/// so with `max-size` 100 a file holds two entries before it is rotated.
@Suite struct LogsReaderTests {
    static let rotating = LogDriver.jsonFile(LogRotation(maxSize: 100, maxFiles: 3))

    private func writeLines(_ range: ClosedRange<Int>, to writer: ContainerLogWriter, _ stream: StdStream = .stdout) throws {
        for index in range { try writer.write("line \(index)\n", stream) }
    }

    @Test func rotatesByRenamingAndKeepsMaxFiles() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(Self.rotating)
        try writeLines(1...10, to: writer)
        try writer.close()
        #expect(try fixture.fileNames() == ["c0ffee-json.log", "c0ffee-json.log.1", "c0ffee-json.log.2"])
        #expect(try fixture.contents("c0ffee-json.log.2").hasPrefix(#"{"log":"line 5\n""#))
        #expect(try fixture.contents("c0ffee-json.log").hasPrefix(#"{"log":"line 9\n""#))
        #expect(try await writer.read(LogReadOptions()).collect().texts == (5...10).map { "line \($0)\n" })
    }

    @Test func withOneFileStartsOver() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(.jsonFile(LogRotation(maxSize: 100, maxFiles: 1)))
        try writeLines(1...5, to: writer)
        try writer.close()
        #expect(try fixture.fileNames() == ["c0ffee-json.log"])
        #expect(try await writer.read(LogReadOptions()).collect().texts == ["line 5\n"])
    }

    @Test func localDriverUsesItsOwnFile() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(.local(LogRotation(maxSize: 100, maxFiles: 2)))
        try writeLines(1...3, to: writer)
        try writer.close()
        #expect(try fixture.fileNames() == ["c0ffee-local.log", "c0ffee-local.log.1"])
        #expect(try await writer.read(LogReadOptions()).collect().texts == ["line 1\n", "line 2\n", "line 3\n"])
    }

    @Test func tailCountsTheChosenStreamsAcrossRotatedFiles() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(Self.rotating)
        for index in 1...10 { try writer.write("line \(index)\n", index.isMultiple(of: 2) ? .stderr : .stdout) }
        try writer.close()
        #expect(try await writer.read(LogReadOptions(tail: 3)).collect().texts == ["line 8\n", "line 9\n", "line 10\n"])
        #expect(try await writer.read(LogReadOptions(stderr: false, tail: 2)).collect().texts == ["line 7\n", "line 9\n"])
        #expect(try await writer.read(LogReadOptions(tail: 100)).collect().count == 6)
        #expect(try await writer.read(LogReadOptions(tail: 0)).collect().isEmpty)
    }

    @Test func sinceAndUntilSelectByTimestamp() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(Self.rotating)
        try writeLines(1...10, to: writer)
        try writer.close()
        // Line N was written at start + N - 1 seconds.
        let at = { (line: Int64) in LogTimestamp(seconds: LogsFixture.start + line - 1) }
        #expect(try await writer.read(LogReadOptions(since: at(8))).collect().texts == ["line 8\n", "line 9\n", "line 10\n"])
        #expect(try await writer.read(LogReadOptions(until: at(6))).collect().texts == ["line 5\n", "line 6\n"])
        #expect(try await writer.read(LogReadOptions(since: at(6), until: at(8))).collect().texts == ["line 6\n", "line 7\n", "line 8\n"])
        // The tail is taken first, then since applies to it, as in dockerd.
        #expect(try await writer.read(LogReadOptions(since: at(9), tail: 3)).collect().texts == ["line 9\n", "line 10\n"])
        var justAfter = at(9)
        justAfter.nanoseconds = 1
        #expect(try await writer.read(LogReadOptions(since: justAfter)).collect().texts == ["line 10\n"])
    }

    @Test func followDeliversNewLinesAndEndsWhenTheWriterCloses() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try writer.write("old\n")
        var messages = try writer.read(LogReadOptions(follow: true)).makeAsyncIterator()
        #expect(try await messages.next()?.bytes == Array("old\n".utf8))
        try writer.write("new 1\n")
        #expect(try await messages.next()?.bytes == Array("new 1\n".utf8))
        // The next one is written while the reader may already be waiting.
        let late = Task { try writer.write("new 2\n", .stderr) }
        let next = try await messages.next()
        #expect(next?.bytes == Array("new 2\n".utf8))
        #expect(next?.stream == .stderr)
        try await late.value
        try writer.write("unfinished")
        try writer.close()
        #expect(try await messages.next()?.bytes == Array("unfinished".utf8))
        #expect(try await messages.next() == nil)
    }

    @Test func followSurvivesRotation() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(Self.rotating)
        try writeLines(1...3, to: writer)
        var messages = try writer.read(LogReadOptions(tail: 1, follow: true)).makeAsyncIterator()
        #expect(try await messages.next()?.bytes == Array("line 3\n".utf8))
        // Two more rotations before the reader looks again: it reads on through `.1` into the live file.
        try writeLines(4...7, to: writer)
        var received: [String] = []
        for _ in 4...7 {
            if let message = try await messages.next() { received.append(String(decoding: message.bytes, as: UTF8.self)) }
        }
        #expect(received == (4...7).map { "line \($0)\n" })
        try writer.close()
        #expect(try await messages.next() == nil)
    }

    @Test func followingAllLinesWhileWritingLosesNone() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(.jsonFile(LogRotation(maxSize: 1000, maxFiles: 50)))
        let messages = try writer.read(LogReadOptions(follow: true))
        let reader = Task { try await messages.collect() }
        try writeLines(1...300, to: writer)
        try writer.close()
        #expect(try await reader.value.texts == (1...300).map { "line \($0)\n" })
    }

    @Test func followStopsAtUntilAndWhenCancelled() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try writeLines(1...2, to: writer)
        // Until lies ahead (the test clock is at line 3): follow, and stop at the first line past it.
        let until = LogTimestamp(seconds: LogsFixture.start + 3)
        let bounded = Task { try await writer.read(LogReadOptions(until: until, follow: true)).collect() }
        try writeLines(3...6, to: writer)
        #expect(try await bounded.value.texts == (1...4).map { "line \($0)\n" })

        let endless = Task { try await writer.read(LogReadOptions(tail: 0, follow: true)).collect() }
        endless.cancel()
        #expect(try await endless.value.isEmpty)
        try writer.close()
    }

    @Test func readingAStoppedContainerDoesNotFollow() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(Self.rotating)
        try writeLines(1...4, to: writer)
        try writer.close()
        #expect(try await fixture.files(Self.rotating).read(LogReadOptions(tail: 2, follow: true)).collect().texts == ["line 3\n", "line 4\n"])
        #expect(try await writer.read(LogReadOptions(follow: true)).collect().count == 4)
        #expect(try await fixture.files().read(LogReadOptions()).collect().count == 2, "without its rotated files, only the live one is read")
    }
}
