import Foundation

/// The members of a json-file entry that reading needs (dockerd may add `attrs`).
private struct StoredEntry: Decodable {
    var log: String?
    var stream: String?
    var time: String
}

/// One line of a json-file log, `{"log":"hello\n","stream":"stdout","time":"2026-11-29T05:14:33.123456789Z"}`,
/// written byte for byte as dockerd writes it (its escaping, invalid UTF-8 as U+FFFD, Go's `RFC3339Nano`).
enum JSONLogEntry {
    /// The entry for `message`, with its trailing newline.
    static func encode(_ message: LogMessage) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(message.bytes.count + 80)
        line += Array(#"{"log":"#.utf8)
        appendQuoted(message.bytes, to: &line)
        line += Array(#","stream":""#.utf8) + Array(message.stream.name.utf8)
        line += Array(#"","time":""#.utf8) + Array(message.timestamp.rfc3339(fixedWidth: false).utf8)
        line += Array("\"}\n".utf8)
        return line
    }

    /// The message an entry (without its newline) holds, or nil when it is not a json-file entry.
    static func decode(_ line: some Collection<UInt8>) -> LogMessage? {
        guard let entry = try? JSONDecoder().decode(StoredEntry.self, from: Data(line)),
            let timestamp = LogTimestamp(rfc3339: entry.time)
        else { return nil }
        return LogMessage(stream: entry.stream.flatMap(StdStream.init(name:)) ?? .stdout, bytes: Array((entry.log ?? "").utf8), timestamp: timestamp)
    }

    /// Appends `bytes` as a JSON string the way Go's `ffjsonWriteJSONBytesAsString` does: `<`, `>`, `&`,
    /// control characters, U+2028 and U+2029 as `\u` escapes, each invalid UTF-8 byte as `\ufffd`.
    private static func appendQuoted(_ bytes: [UInt8], to line: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        line.append(UInt8(ascii: "\""))
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): line += [UInt8(ascii: "\\"), byte]
                case UInt8(ascii: "\n"): line += Array(#"\n"#.utf8)
                case UInt8(ascii: "\r"): line += Array(#"\r"#.utf8)
                case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    line += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default: line.append(byte)
                }
                index += 1
                continue
            }
            let length = validUTF8Length(bytes, at: index)
            if length == 0 {
                line += Array(#"\ufffd"#.utf8)
                index += 1
            } else if length == 3, byte == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                line += Array(#"\u202"#.utf8) + [bytes[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                index += 3
            } else {
                line += bytes[index..<index + length]
                index += length
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `index`, or 0 if there is none
    /// (the ranges of Go's `utf8.DecodeRune`: no overlong forms, surrogates or code points past U+10FFFF).
    private static func validUTF8Length(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let (length, secondRange): (Int, ClosedRange<UInt8>) =
            switch lead {
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0x80...0xBF)
            }
        guard length > 0, index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        return bytes[index + 2..<index + length].allSatisfy { (0x80...0xBF).contains($0) } ? length : 0
    }
}
