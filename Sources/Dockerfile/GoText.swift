/// Go's text primitives that Docker's parser relies on, so that Swift reads a Dockerfile as Go does.
enum GoText {
    /// Go's `unicode.IsSpace`: the Unicode White_Space property.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`.
    static func trimLeft(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return Substring(scalars[start...])
    }

    /// Go's `strings.TrimSpace`.
    static func trim(_ text: Substring) -> Substring {
        let left = trimLeft(text).unicodeScalars
        guard let last = left.lastIndex(where: { !isSpace($0) }) else { return Substring(left) }
        return Substring(left[...last])
    }

    static func trim(_ text: String) -> String {
        String(trim(Substring(text)))
    }

    /// The separators of Docker's `tokenWhitespace` regular expression, `[\t\v\f\r ]`.
    static func isTokenSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\u{0B}", "\u{0C}", "\r", " ": true
        default: false
        }
    }

    /// Splits on runs of `[\t\v\f\r ]`, at most `limit` pieces (Go's `regexp.Split(s, limit)`).
    static func splitTokens(_ text: Substring, limit: Int = .max) -> [Substring] {
        var pieces: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex, pieces.count < limit - 1 {
            if isTokenSpace(scalars[index]) {
                var end = index
                while end < scalars.endIndex, isTokenSpace(scalars[end]) { end = scalars.index(after: end) }
                pieces.append(Substring(scalars[start..<index]))
                start = end
                index = end
            } else {
                index = scalars.index(after: index)
            }
        }
        pieces.append(Substring(scalars[start...]))
        return pieces
    }

    /// Go's `strconv.Quote` (and so `%q`): a double-quoted string with Go escapes.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out += "\\U" + hex(scalar.value, digits: 8)
                }
            }
        }
        return out + "\""
    }

    /// An approximation of Go's `unicode.IsPrint`: graphic characters and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
