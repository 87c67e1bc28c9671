/// The patterns of a `.dockerignore` file, with Docker's rules.
///
/// One pattern a line; a line starting with `#` is a comment; blank lines are skipped; a leading `!`
/// makes an exception that re-includes what earlier patterns excluded. Patterns are trimmed, cleaned
/// like Go's `filepath.Clean`, and lose a leading "/". `*` and `?` do not cross "/", `**` crosses any
/// number of directories, `[...]` classes and `\` escapes work as in `filepath.Match`. A path is
/// excluded when it, or one of its parent directories, matches; the last matching pattern wins.
/// (Docker compiles patterns to regular expressions, so other regex characters such as `+` or `(`
/// keep a regex meaning there; here they are plain characters.)
public struct IgnorePatterns: Sendable, Equatable {
    private var patterns: [IgnorePattern]

    public init(parsing text: String) throws(DockerfileError) {
        patterns = []
        var first = true
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if first, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            first = false
            if line.hasPrefix("#") { continue }
            var pattern = GoText.trim(line)
            if pattern.isEmpty { continue }
            let exception = pattern.hasPrefix("!")
            if exception { pattern = GoText.trim(pattern.dropFirst()) }
            var cleaned = ""
            if !pattern.isEmpty {
                cleaned = CleanPath.clean(String(pattern))
                if cleaned.count > 1, cleaned.hasPrefix("/") { cleaned.removeFirst() }
            }
            patterns.append(try IgnorePattern(exception ? "!" + cleaned : cleaned))
        }
    }

    /// Whether there are no patterns at all.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether the context path (relative, "/"-separated, no leading "./") is excluded.
    public func excludes(_ path: String) -> Bool {
        let file = CleanPath.clean(path)
        if file == "." { return false }
        let parent = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
        let parentDirectories = parent.split(separator: "/", omittingEmptySubsequences: false)
        var excluded = false
        for pattern in patterns {
            var matched = pattern.matches(file)
            if !matched, parent != ".", pattern.depth <= parentDirectories.count {
                matched = pattern.matches(parentDirectories.prefix(pattern.depth).joined(separator: "/"))
            }
            if matched { excluded = !pattern.isException }
        }
        return excluded
    }
}

/// One cleaned `.dockerignore` pattern, compiled to a small matcher.
private struct IgnorePattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        /// `?`: one character other than "/".
        case one
        /// `*`: any run without "/".
        case star
        /// `**` at the end: anything.
        case anything
        /// `**` (or `**/`) elsewhere: nothing, or anything ending with "/".
        case directories
        case set(ranges: [ClassRange], negated: Bool)
    }

    /// A class range; one with `low > high` matches nothing, as in Go.
    struct ClassRange: Sendable, Equatable {
        var low: UInt32
        var high: UInt32
    }

    let text: String
    let isException: Bool
    /// The number of path elements, for matching against a parent directory.
    let depth: Int
    let tokens: [Token]

    init(_ line: String) throws(DockerfileError) {
        var pattern = CleanPath.clean(GoText.trim(line))
        isException = pattern.hasPrefix("!")
        if isException {
            guard pattern.count > 1 else { throw DockerfileError("illegal exclusion pattern: \"!\"") }
            pattern.removeFirst()
        }
        _ = try PathPattern.matches(pattern, ".")
        text = pattern
        depth = pattern.split(separator: "/", omittingEmptySubsequences: false).count
        tokens = Self.compile(pattern)
    }

    private static func compile(_ pattern: String) -> [Token] {
        var tokens: [Token] = []
        var scalars = pattern.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "*":
                guard scalars.first == "*" else {
                    tokens.append(.star)
                    continue
                }
                scalars.removeFirst()
                if scalars.first == "/" { scalars.removeFirst() }
                tokens.append(scalars.isEmpty ? .anything : .directories)
            case "?":
                tokens.append(.one)
            case "\\":
                tokens.append(.literal(scalars.popFirst() ?? "\\"))
            case "[":
                tokens.append(classToken(&scalars))
            default:
                tokens.append(.literal(scalar))
            }
        }
        return tokens
    }

    /// A class after "[" (already validated by `PathPattern`).
    private static func classToken(_ scalars: inout Substring.UnicodeScalarView.SubSequence) -> Token {
        var negated = false
        if scalars.first == "^" {
            negated = true
            scalars.removeFirst()
        }
        var ranges: [ClassRange] = []
        while let scalar = scalars.popFirst() {
            if scalar == "]" && !ranges.isEmpty { break }
            var low = scalar
            if low == "\\", let escaped = scalars.popFirst() { low = escaped }
            var high = low
            if scalars.first == "-" {
                scalars.removeFirst()
                if var end = scalars.popFirst() {
                    if end == "\\", let escaped = scalars.popFirst() { end = escaped }
                    high = end
                }
            }
            ranges.append(ClassRange(low: low.value, high: high.value))
        }
        return .set(ranges: ranges, negated: negated)
    }

    func matches(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars)
        var failed = Set<Int>()
        return match(0, 0, scalars, &failed)
    }

    /// Backtracking over (token, position) pairs, remembering the pairs that failed.
    private func match(_ token: Int, _ position: Int, _ path: [Unicode.Scalar], _ failed: inout Set<Int>) -> Bool {
        let key = token * (path.count + 1) + position
        if failed.contains(key) { return false }
        let result: Bool
        if token == tokens.count {
            result = position == path.count
        } else {
            switch tokens[token] {
            case .literal(let scalar):
                result = position < path.count && path[position] == scalar && match(token + 1, position + 1, path, &failed)
            case .one:
                result = position < path.count && path[position] != "/" && match(token + 1, position + 1, path, &failed)
            case .set(let ranges, let negated):
                result =
                    position < path.count
                    && ranges.contains { $0.low <= path[position].value && path[position].value <= $0.high } != negated
                    && match(token + 1, position + 1, path, &failed)
            case .star:
                var end = position
                var found = match(token + 1, end, path, &failed)
                while !found, end < path.count, path[end] != "/" {
                    end += 1
                    found = match(token + 1, end, path, &failed)
                }
                result = found
            case .anything:
                result = match(token + 1, path.count, path, &failed)
            case .directories:
                var found = match(token + 1, position, path, &failed)
                var end = position
                while !found, end < path.count {
                    if path[end] == "/" { found = match(token + 1, end + 1, path, &failed) }
                    end += 1
                }
                result = found
            }
        }
        if !result { failed.insert(key) }
        return result
    }
}
