/// The member names of every object in a JSON text, checked for names that Go's `encoding/json` and
/// Foundation's `JSONDecoder` would read differently.
///
/// Go keeps the last of two members with one name; Foundation keeps the first. A body with such members
/// means one thing to an authorization plugin written in Go and another to berthd, so berthd refuses it
/// instead of guessing: ``firstRepeatedName(in:)`` finds the first name that repeats in one object,
/// compared after unescaping (`"Privil\u0065ged"` is `"Privileged"`). Names that differ only in case
/// are Go's other difference, for struct fields alone (a map's keys stay exact): ``GoFieldMatching``
/// refuses those where a struct is decoded, so labels `a` and `A` stay two labels.
///
/// The scan is iterative (nesting depth costs heap, not stack) and does not validate the JSON: the decoder
/// that follows does.
enum JSONMemberNames {
    /// What a name is compared by: folded over case as Go's `bytes.EqualFold` folds (`ſ` is `s`, the Kelvin
    /// sign is `k`), and a little further (`ß` is `ss`), which only refuses more.
    static func folded(_ name: String) -> String { name.uppercased().lowercased() }

    /// The first member name that repeats in one object of `json`; nil when there is none.
    static func firstRepeatedName(in json: some Collection<UInt8>) -> String? {
        let bytes = Array(json)
        /// The names seen in each enclosing object; nil for an array.
        var levels: [Set<String>?] = []
        var expectingName = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                levels.append([])
                expectingName = true
            case UInt8(ascii: "["):
                levels.append(nil)
                expectingName = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = levels.popLast()
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = levels.last.map { $0 != nil } ?? false
            case UInt8(ascii: ":"):
                expectingName = false
            case UInt8(ascii: "\""):
                let (text, end) = string(in: bytes, from: index)
                if expectingName, let last = levels.indices.last, var names = levels[last] {
                    guard names.insert(text).inserted else { return text }
                    levels[last] = names
                }
                index = end
                continue
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The unescaped text of the string whose opening quote is at `start`, and the index after its closing
    /// quote (the end of `bytes` when it is unterminated). Escapes decode as Go decodes them: a lone
    /// surrogate or invalid UTF-8 becomes U+FFFD.
    private static func string(in bytes: [UInt8], from start: Int) -> (String, Int) {
        var text: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return (String(decoding: text, as: UTF8.self), index + 1) }
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                text.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(bytes, at: index) else { continue }
                index += 4
                var scalar = Unicode.Scalar(unit)
                if (0xD800..<0xDC00).contains(unit), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                    let low = hexUnit(bytes, at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    index += 6
                }
                text.append(contentsOf: Array(String(Character(scalar ?? "\u{FFFD}")).utf8))
            default: text.append(escaped)
            }
        }
        return (String(decoding: text, as: UTF8.self), bytes.count)
    }

    /// The 16-bit unit written as four hex digits at `index`, nil when they are not four hex digits.
    private static func hexUnit(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        return UInt16(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
    }
}
