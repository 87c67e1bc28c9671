/// The parser directives at the top of a Dockerfile (`# escape=`` ` ``, `# syntax=...`).
///
/// Directives are recognised only until the first line that is not one: a blank line, another
/// comment, an instruction, or an unknown directive ends them. Keys are case-insensitive; each may
/// appear once. `syntax` is accepted and ignored, as the legacy builder does.
struct ParserDirectives {
    private(set) var escape: Unicode.Scalar = "\\"
    private var done = false
    private var seen: Set<String> = []

    /// Looks at a line (left-trimmed) while directives are still possible.
    mutating func consider(_ line: Substring) throws(DockerfileError) {
        if done { return }
        guard let (key, value) = Self.split(line) else {
            done = true
            return
        }
        let name = key.lowercased()
        guard name == "escape" || name == "syntax" else {
            done = true
            return
        }
        guard seen.insert(name).inserted else {
            throw .syntax("only one \(name) parser directive can be used")
        }
        if name == "escape" {
            guard value == "`" || value == "\\", let token = value.unicodeScalars.first else {
                throw .syntax("invalid escape token '\(value)' does not match ` or \\")
            }
            escape = token
        }
    }

    /// The regular expression `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, by hand.
    private static func split(_ line: Substring) -> (String, String)? {
        var scalars = line.unicodeScalars[...]
        guard scalars.popFirst() == "#" else { return nil }
        scalars = scalars.drop(while: isRegexSpace)
        guard let first = scalars.first, isASCIILetter(first) else { return nil }
        let name = scalars.prefix { isASCIILetter($0) || ("0"..."9").contains($0) }
        scalars = scalars.dropFirst(name.count).drop(while: isRegexSpace)
        guard scalars.popFirst() == "=", let last = scalars.last else { return nil }
        let value = scalars.drop(while: isRegexSpace)
        guard let end = value.lastIndex(where: { !isRegexSpace($0) }) else {
            // Only white space after "=": the lazy group still takes the last character.
            return (String(String.UnicodeScalarView(name)), String(Character(last)))
        }
        return (String(String.UnicodeScalarView(name)), String(String.UnicodeScalarView(value[...end])))
    }

    /// RE2's `\s`: `[\t\n\f\r ]`.
    private static func isRegexSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{0C}" || scalar == "\r"
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
