/// The JSON (exec) form of an instruction's arguments, read as dockerd reads it: the first JSON
/// value of the text, which must be an array; anything after that value is ignored.
enum JSONStringArray {
    enum Outcome: Equatable {
        /// A well-formed array of strings.
        case strings([String])
        /// A well-formed array with something other than a string in it: an error in dockerd.
        case notStrings
        /// Not a JSON array: dockerd falls back to the shell form.
        case notJSON
    }

    static let notStringsError = DockerfileError.syntax(
        "when using JSON array syntax, arrays must be comprised of strings only")

    static func parse(_ text: Substring) -> Outcome {
        let trimmed = GoText.trimLeft(text)
        guard trimmed.hasPrefix("[") else { return .notJSON }
        var reader = JSONReader(bytes: Array(trimmed.utf8))
        guard let value = reader.value(depth: 0), case .array(let elements) = value else { return .notJSON }
        var strings: [String] = []
        for element in elements {
            guard case .string(let string) = element else { return .notStrings }
            strings.append(string)
        }
        return .strings(strings)
    }
}

/// A JSON value, keeping only what the array form needs.
private indirect enum JSONValue {
    case string(String)
    case array([JSONValue])
    case other
}

/// A small strict JSON reader (RFC 8259) over UTF-8 bytes; nil means a syntax error.
private struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Nesting deeper than this is treated as a syntax error rather than risking the stack.
    private static let maximumDepth = 512

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth < Self.maximumDepth else { return nil }
        skipSpace()
        guard let byte = current else { return nil }
        switch byte {
        case UInt8(ascii: "["):
            position += 1
            var elements: [JSONValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(elements)
                default: return nil
                }
            }
        case UInt8(ascii: "{"):
            position += 1
            skipSpace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .other
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\""), string() != nil else { return nil }
                skipSpace()
                guard current == UInt8(ascii: ":") else { return nil }
                position += 1
                guard value(depth: depth + 1) != nil else { return nil }
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .other
                default: return nil
                }
            }
        case UInt8(ascii: "\""):
            return string().map { .string($0) }
        case UInt8(ascii: "t"):
            return literal("true")
        case UInt8(ascii: "f"):
            return literal("false")
        case UInt8(ascii: "n"):
            return literal("null")
        default:
            return number()
        }
    }

    private mutating func literal(_ word: String) -> JSONValue? {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count,
            Array(bytes[position..<(position + expected.count)]) == expected
        else { return nil }
        position += expected.count
        return .other
    }

    private mutating func digits() -> Int {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }

    private mutating func number() -> JSONValue? {
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            return nil
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return nil }
        }
        return .other
    }

    private mutating func string() -> String? {
        position += 1
        var decoded: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        func flushSurrogate(_ decoded: inout [UInt8], _ pending: inout UInt32?) {
            if pending != nil {
                decoded.append(contentsOf: Array("\u{FFFD}".utf8))
                pending = nil
            }
        }
        while let byte = current {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flushSurrogate(&decoded, &pendingHighSurrogate)
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return nil }
                position += 1
                if escaped == UInt8(ascii: "u") {
                    guard let unit = hex4() else { return nil }
                    if let high = pendingHighSurrogate {
                        pendingHighSurrogate = nil
                        if (0xDC00...0xDFFF).contains(unit) {
                            let combined = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                            append(combined, to: &decoded)
                            continue
                        }
                        decoded.append(contentsOf: Array("\u{FFFD}".utf8))
                    }
                    if (0xD800...0xDBFF).contains(unit) {
                        pendingHighSurrogate = unit
                    } else {
                        append(unit, to: &decoded)
                    }
                    continue
                }
                flushSurrogate(&decoded, &pendingHighSurrogate)
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                flushSurrogate(&decoded, &pendingHighSurrogate)
                decoded.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[position..<(position + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    private func append(_ value: UInt32, to decoded: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
