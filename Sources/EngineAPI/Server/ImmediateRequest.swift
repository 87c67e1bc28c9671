import NIOHTTP1

/// The head of a request simple enough to be answered without the HTTP codec: a complete HTTP/1.1 `GET` or
/// `HEAD` head, with no body and nothing that changes the connection.
///
/// The check is strict, so that whatever passes it is also a valid request to the codec: the request line
/// is exactly `METHOD SP target SP HTTP/1.1` with a target of visible ASCII starting with `/`; every field
/// is `token ":" value` without control characters other than tab. A `Content-Length` other than `0`,
/// any `Transfer-Encoding`, `Expect` or `Upgrade`, and a `Connection` other than `keep-alive` disqualify it.
/// Anything else (a partial head, HTTP/1.0, another method) is left to the codec.
struct ImmediateRequest: Equatable {
    var method: HTTPMethod
    var uri: String
    /// How many bytes the head takes, its final empty line included.
    var length: Int

    /// The longest head looked at; longer ones go to the codec.
    static let maxLength = 8192

    /// Fields whose presence leaves the request to the codec.
    private static let refusedFields: [StaticString] = ["transfer-encoding", "expect", "upgrade"]

    /// Reads the request at the start of `bytes`; nil when it is not one described above.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> ImmediateRequest? {
        let window = UnsafeRawBufferPointer(rebasing: bytes.prefix(Self.maxLength))
        guard let lineEnd = Self.lineEnd(in: window, from: 0),
            let (method, uri) = Self.requestLine(UnsafeRawBufferPointer(rebasing: window[..<lineEnd]))
        else { return nil }
        var start = lineEnd + 2
        while let end = Self.lineEnd(in: window, from: start) {
            if end == start {
                return ImmediateRequest(method: method, uri: uri, length: end + 2)
            }
            guard Self.acceptsField(UnsafeRawBufferPointer(rebasing: window[start..<end])) else { return nil }
            start = end + 2
        }
        return nil
    }

    /// The index of the next CR LF at or after `start`.
    private static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D {
                return bytes[index + 1] == 0x0A ? index : nil
            }
            if bytes[index] == 0x0A { return nil }
            index += 1
        }
        return nil
    }

    private static func requestLine(_ line: UnsafeRawBufferPointer) -> (HTTPMethod, String)? {
        let method: HTTPMethod
        let targetStart: Int
        if line.starts(with: "GET ".utf8) {
            (method, targetStart) = (.GET, 4)
        } else if line.starts(with: "HEAD ".utf8) {
            (method, targetStart) = (.HEAD, 5)
        } else {
            return nil
        }
        let version = " HTTP/1.1".utf8
        guard line.count > targetStart + version.count, line.suffix(version.count).elementsEqual(version) else { return nil }
        let target = line[targetStart..<(line.count - version.count)]
        guard target.first == UInt8(ascii: "/"), target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return (method, String(decoding: target, as: UTF8.self))
    }

    private static func acceptsField(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        let name = line[..<colon]
        var value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
        while let last = value.last, last == 0x20 || last == 0x09 {
            value = value.dropLast()
        }
        guard name.allSatisfy(HTTPField.isTokenByte), value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return false
        }
        if Self.equalsIgnoringCase(name, "content-length") { return value.elementsEqual("0".utf8) }
        if Self.equalsIgnoringCase(name, "connection") { return Self.equalsIgnoringCase(value, "keep-alive") }
        return !Self.refusedFields.contains { Self.equalsIgnoringCase(name, $0) }
    }

    /// Whether the ASCII `bytes` equal `lowercase` (all lowercase) but for case.
    private static func equalsIgnoringCase(_ bytes: Slice<UnsafeRawBufferPointer>, _ lowercase: StaticString) -> Bool {
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return bytes.count == expected.count
            && zip(bytes, expected).allSatisfy { byte, wanted in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == wanted
            }
    }
}
