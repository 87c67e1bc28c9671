/// Go's `path.Match` (`filepath.Match` on Linux), which the legacy builder uses for wildcard
/// sources of `COPY` and `ADD`.
///
/// `*` matches any run of characters other than "/", `?` one such character, `[...]` a class with
/// ranges (`[a-z]`) and `^` negation (`!` is a plain character, as in Go), and `\` escapes the next
/// character. A malformed pattern is an error (`syntax error in pattern`) even where Go would only
/// notice it while matching.
public enum PathPattern {
    /// Go's `ErrBadPattern`.
    public static let badPattern = DockerfileError("syntax error in pattern")

    public static func matches(_ pattern: String, _ name: String) throws(DockerfileError) -> Bool {
        var pattern = Array(pattern.utf8)[...]
        var name = Array(name.utf8)[...]
        patternLoop: while !pattern.isEmpty {
            let (star, chunk, rest) = scanChunk(pattern)
            pattern = rest
            if star && chunk.isEmpty {
                // A trailing star matches the rest unless it has a "/".
                return !name.contains(slash)
            }
            if let remaining = try matchChunk(chunk, name), remaining.isEmpty || !pattern.isEmpty {
                name = remaining
                continue
            }
            if star {
                // Try the chunk after skipping i+1 bytes; a star never skips a "/".
                var skip = name.startIndex
                while skip < name.endIndex, name[skip] != slash {
                    if let remaining = try matchChunk(chunk, name[(skip + 1)...]) {
                        if pattern.isEmpty && !remaining.isEmpty {
                            skip += 1
                            continue
                        }
                        name = remaining
                        continue patternLoop
                    }
                    skip += 1
                }
            }
            // No match: still check the rest of the pattern is well formed.
            while !pattern.isEmpty {
                let (_, chunk, rest) = scanChunk(pattern)
                pattern = rest
                _ = try matchChunk(chunk, [][...])
            }
            return false
        }
        return name.isEmpty
    }

    /// Whether a source names files by pattern (`*`, `?` or `[` not escaped with `\`), as dockerd decides it.
    public static func hasWildcards(_ pattern: String) -> Bool {
        var bytes = Array(pattern.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == backslash {
                _ = bytes.popFirst()
            } else if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") {
                return true
            }
        }
        return false
    }

    private static let slash = UInt8(ascii: "/")
    private static let backslash = UInt8(ascii: "\\")

    /// Splits off leading stars and the chunk up to the next star outside a class.
    private static func scanChunk(_ pattern: ArraySlice<UInt8>) -> (Bool, ArraySlice<UInt8>, ArraySlice<UInt8>) {
        var pattern = pattern
        var star = false
        while pattern.first == UInt8(ascii: "*") {
            pattern = pattern.dropFirst()
            star = true
        }
        var inRange = false
        var index = pattern.startIndex
        scan: while index < pattern.endIndex {
            switch pattern[index] {
            case backslash:
                if index + 1 < pattern.endIndex { index += 1 }
            case UInt8(ascii: "["):
                inRange = true
            case UInt8(ascii: "]"):
                inRange = false
            case UInt8(ascii: "*"):
                if !inRange { break scan }
            default:
                break
            }
            index += 1
        }
        return (star, pattern[..<index], pattern[index...])
    }

    /// Matches a star-free chunk at the start of `name`: the rest of `name`, or nil when it does not
    /// match. Keeps reading the chunk after a failure so that a malformed pattern is always reported.
    private static func matchChunk(
        _ chunk: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>
    ) throws(DockerfileError) -> ArraySlice<UInt8>? {
        var chunk = chunk
        var name = name
        var failed = false
        while let head = chunk.first {
            if !failed && name.isEmpty { failed = true }
            switch head {
            case UInt8(ascii: "["):
                var scalar: UInt32 = 0
                if !failed {
                    let (decoded, width) = decodeScalar(name)
                    scalar = decoded
                    name = name.dropFirst(width)
                }
                chunk = chunk.dropFirst()
                var negated = false
                if chunk.first == UInt8(ascii: "^") {
                    negated = true
                    chunk = chunk.dropFirst()
                }
                var matched = false
                var ranges = 0
                while true {
                    if chunk.first == UInt8(ascii: "]"), ranges > 0 {
                        chunk = chunk.dropFirst()
                        break
                    }
                    let low = try classCharacter(&chunk)
                    var high = low
                    if chunk.first == UInt8(ascii: "-") {
                        chunk = chunk.dropFirst()
                        high = try classCharacter(&chunk)
                    }
                    if low <= scalar && scalar <= high { matched = true }
                    ranges += 1
                }
                if matched == negated { failed = true }
            case UInt8(ascii: "?"):
                if !failed {
                    if name.first == slash { failed = true }
                    name = name.dropFirst(decodeScalar(name).1)
                }
                chunk = chunk.dropFirst()
            default:
                if head == backslash {
                    chunk = chunk.dropFirst()
                    if chunk.isEmpty { throw badPattern }
                }
                if !failed {
                    if chunk.first != name.first { failed = true }
                    name = name.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        return failed ? nil : name
    }

    /// One (possibly escaped) character of a class, as a scalar value; Go's `getEsc`.
    private static func classCharacter(_ chunk: inout ArraySlice<UInt8>) throws(DockerfileError) -> UInt32 {
        guard let first = chunk.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "]") else {
            throw badPattern
        }
        if first == backslash {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { throw badPattern }
        }
        let (scalar, width) = decodeScalar(chunk)
        if scalar == 0xFFFD && width == 1 { throw badPattern }
        chunk = chunk.dropFirst(width)
        if chunk.isEmpty { throw badPattern }
        return scalar
    }

    /// Go's `utf8.DecodeRune`: the scalar at the start and its width; (U+FFFD, 1) for a bad byte.
    private static func decodeScalar(_ bytes: ArraySlice<UInt8>) -> (UInt32, Int) {
        guard let first = bytes.first else { return (0xFFFD, 0) }
        var iterator = bytes.prefix(4).makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return (scalar.value, UTF8.width(scalar))
        }
        return (first < 0x80 ? UInt32(first) : 0xFFFD, 1)
    }
}
