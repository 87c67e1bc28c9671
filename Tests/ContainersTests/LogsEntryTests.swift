@testable import Containers
import Testing

@Suite struct LogsEntryTests {
    let instant = LogTimestamp(seconds: 1_764_393_273, nanoseconds: 123_456_789)

    private func encoded(_ bytes: [UInt8], _ stream: StdStream = .stdout) -> String {
        String(decoding: JSONLogEntry.encode(LogMessage(stream: stream, bytes: bytes, timestamp: instant)), as: UTF8.self)
    }

    @Test func writesDockersFormat() {
        #expect(encoded(Array("hello\n".utf8)) == #"{"log":"hello\n","stream":"stdout","time":"2025-11-29T05:14:33.123456789Z"}"# + "\n")
        #expect(encoded(Array("oops".utf8), .stderr) == #"{"log":"oops","stream":"stderr","time":"2025-11-29T05:14:33.123456789Z"}"# + "\n")
    }

    @Test func escapesAsGoDoes() {
        let text = encoded(Array("a\"b\\c\td\r<&>\u{1}é€\u{2028}\n".utf8))
        #expect(text.hasPrefix(#"{"log":"a\"b\\c\u0009d\r\u003c\u0026\u003e\u0001é€\u2028\n","#))
    }

    @Test func replacesInvalidUTF8() {
        // A lone continuation byte, a truncated sequence, an overlong form and a surrogate.
        let text = encoded([0x61, 0x80, 0x62, 0xE2, 0x82, 0x63, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x0A])
        #expect(text.hasPrefix(#"{"log":"a\ufffdb\ufffd\ufffdc\ufffd\ufffd\ufffd\ufffd\ufffd\n","#))
    }

    @Test func decodesWhatItWrites() throws {
        let message = LogMessage(stream: .stderr, bytes: Array("x <é> \u{2028}\u{7}\n".utf8), timestamp: instant)
        let line = JSONLogEntry.encode(message)
        #expect(JSONLogEntry.decode(line.dropLast()) == message)
    }

    @Test func decodesDockersEntriesAndSkipsGarbage() {
        let docker = #"{"log":"hi\n","stream":"stdout","attrs":{"tag":"x"},"time":"2026-11-29T00:57:47.568046011Z"}"#
        let message = JSONLogEntry.decode(Array(docker.utf8))
        #expect(message?.bytes == Array("hi\n".utf8))
        #expect(message?.timestamp.rfc3339(fixedWidth: true) == "2026-11-29T00:57:47.568046011Z")
        #expect(JSONLogEntry.decode(Array(#"{"log":"tor"#.utf8)) == nil)
    }
}

@Suite struct LogsSplitterTests {
    let now = LogTimestamp(seconds: 10)
    let later = LogTimestamp(seconds: 20)

    @Test func cutsAtNewlinesAndKeepsUnfinishedLinesPerStream() {
        var splitter = LogLineSplitter()
        #expect(splitter.split(Array("one\ntw".utf8), from: .stdout, at: now).texts == ["one\n"])
        #expect(splitter.split(Array("err\n".utf8), from: .stderr, at: now).texts == ["err\n"])
        let rest = splitter.split(Array("o\n\nthree".utf8), from: .stdout, at: later)
        #expect(rest.texts == ["two\n", "\n"])
        #expect(rest.allSatisfy { $0.stream == .stdout && $0.timestamp == later })
        #expect(splitter.flush(at: later).texts == ["three"])
        #expect(splitter.flush(at: later).isEmpty)
    }

    @Test func cutsLongLinesInto16KiBPiecesSharingTheFirstTimestamp() {
        var splitter = LogLineSplitter()
        let first = splitter.split([UInt8](repeating: 0x78, count: 20_000), from: .stdout, at: now)
        #expect(first.map(\.bytes.count) == [16_384])
        let rest = splitter.split([UInt8](repeating: 0x78, count: 20_000) + [0x0A], from: .stdout, at: later)
        #expect(rest.map(\.bytes.count) == [16_384, 7_233])
        #expect(rest.allSatisfy { $0.timestamp == now })
        #expect(splitter.split(Array("next\n".utf8), from: .stdout, at: later).first?.timestamp == later)
    }

    @Test func aLineOfExactly16KiBEndsWithALoneNewline() {
        var splitter = LogLineSplitter()
        let pieces = splitter.split([UInt8](repeating: 0x78, count: 16_384) + [0x0A], from: .stderr, at: now)
        #expect(pieces.map(\.bytes.count) == [16_384, 1])
    }
}
