import Foundation
import Containers
import Messages
import Testing

@Suite struct LogsWriterTests {
    @Test func writesBothStreamsAndReadsThemBack() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try writer.write("out 1\nout", .stdout)
        try writer.write("err 1\n", .stderr)
        try writer.write(" 2\n", .stdout)
        try writer.write("unfinished", .stderr)
        try writer.close()

        #expect(try fixture.fileNames() == ["c0ffee-json.log"])
        #expect(
            try fixture.contents("c0ffee-json.log") == """
                {"log":"out 1\\n","stream":"stdout","time":"2023-11-14T22:13:20Z"}
                {"log":"err 1\\n","stream":"stderr","time":"2023-11-14T22:13:21Z"}
                {"log":"out 2\\n","stream":"stdout","time":"2023-11-14T22:13:22Z"}
                {"log":"unfinished","stream":"stderr","time":"2023-11-14T22:13:24Z"}

                """)
        let all = try await writer.read(LogReadOptions()).collect()
        #expect(all.texts == ["out 1\n", "err 1\n", "out 2\n", "unfinished"])
        #expect(all.map(\.stream) == [.stdout, .stderr, .stdout, .stderr])
        #expect(all.map(\.timestamp.seconds) == [0, 1, 2, 4].map { LogsFixture.start + $0 })
        #expect(try await writer.read(LogReadOptions(stderr: false)).collect().texts == ["out 1\n", "out 2\n"])
        #expect(try await fixture.files().read(LogReadOptions(stdout: false)).collect().texts == ["err 1\n", "unfinished"])
    }

    @Test func keepsLongLinesWholeAcrossPieces() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        let line = String(repeating: "0123456789", count: 4_000) + "\n"
        try writer.write(line)
        try writer.close()
        let pieces = try await writer.read(LogReadOptions()).collect()
        #expect(pieces.map(\.bytes.count) == [16_384, 16_384, 7_233])
        #expect(pieces.flatMap(\.bytes) == Array(line.utf8))
        #expect(Set(pieces.map(\.timestamp)).count == 1)
    }

    @Test func appendsAfterARestartAndEndsATornLine() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let first = try fixture.writer()
        try first.write("before\n")
        try first.close()
        try (try fixture.contents("c0ffee-json.log") + #"{"log":"tor"#).write(toFile: fixture.directory + "/c0ffee-json.log", atomically: false, encoding: .utf8)
        let second = try fixture.writer()
        try second.write("after\n")
        try second.close()
        #expect(try await second.read(LogReadOptions()).collect().texts == ["before\n", "after\n"])
    }

    @Test func noneWritesNothingAndCannotBeRead() throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(.none)
        try writer.write("lost\n")
        try writer.close()
        #expect(try fixture.fileNames().isEmpty)
        let error = #expect(throws: EngineError.self) { try writer.read(LogReadOptions()) }
        #expect(error?.code == .notImplemented)
        #expect(error?.message == "configured logging driver does not support reading")
    }

    @Test func asksForAtLeastOneStream() throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let error = #expect(throws: EngineError.self) { try fixture.files().read(LogReadOptions(stdout: false, stderr: false)) }
        #expect(error?.message == "You must choose at least one stream")
        #expect(error?.code == .invalidArgument)
    }

    @Test func refusesWritesAfterClose() throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try writer.close()
        #expect(throws: EngineError.self) { try writer.write("late\n") }
    }

    /// A disk that refuses every write (`/dev/full`, ENOSPC) stops the collection once, without throwing
    /// to the container's output pump; later refused writes are dropped quietly.
    @Test func aFullDiskStopsTheCollectionWithoutFailingTheWriter() throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        try FileManager.default.createSymbolicLink(atPath: fixture.directory + "/c0ffee-json.log", withDestinationPath: "/dev/full")
        let writer = try fixture.writer()
        guard case .stopped(let error) = try writer.write("first\nsecond\n") else {
            Issue.record("the first refused write does not stop the collection")
            return
        }
        #expect(error.message.hasSuffix("No space left on device"))
        #expect(EngineError.outOfSpace(error)?.code == .insufficientStorage)
        #expect(try writer.write("third\n") == nil)
        #expect(try writer.write("unfinished") == nil)
        try? writer.close()
    }

    @Test func takesWritesFromBothStreamsAtOnce() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try await withThrowingTaskGroup { group in
            for stream in [StdStream.stdout, .stderr] {
                group.addTask {
                    for index in 0..<200 { try writer.write("\(stream.name) \(index)\n", stream) }
                }
            }
            try await group.waitForAll()
        }
        try writer.close()
        let messages = try await writer.read(LogReadOptions()).collect()
        #expect(messages.count == 400)
        for stream in [StdStream.stdout, .stderr] {
            #expect(messages.filter { $0.stream == stream }.texts == (0..<200).map { "\(stream.name) \($0)\n" })
        }
    }
}
