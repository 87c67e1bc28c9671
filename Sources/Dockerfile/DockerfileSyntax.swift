/// Docker's line parser: physical lines to instructions (`SyntaxNode`s), with parser directives,
/// comments, blank lines, line continuations and the warnings for empty continuation lines.
///
/// Lines end at "\n", a "\r" before it is dropped (Go's `bufio.ScanLines`). A line ending with the
/// escape token (then only spaces or tabs) continues on the next line; a comment line inside a
/// continuation is skipped, and a blank one is skipped with a warning. Heredocs are not supported,
/// as in the legacy builder.
struct DockerfileSyntax {
    var nodes: [SyntaxNode] = []
    var warnings: [String] = []
    var escape: Unicode.Scalar = "\\"

    /// Go's `bufio.MaxScanTokenSize`: a longer line stops the scanner.
    static let maximumLineLength = 64 * 1024

    static func parse(_ text: String) throws(DockerfileError) -> DockerfileSyntax {
        var lines = PhysicalLines(text)
        var directives = ParserDirectives()
        var result = DockerfileSyntax()
        var lineNumber = 0
        while let raw = lines.next() {
            var physical = raw
            if lineNumber == 0, physical.hasPrefix("\u{FEFF}") { physical = physical.dropFirst() }
            let trimmed = GoText.trimLeft(physical)
            try directives.consider(trimmed)
            lineNumber += 1
            let startLine = lineNumber
            var (line, ended) = Self.trimContinuation(trimmed.hasPrefix("#") ? "" : trimmed, escape: directives.escape)
            if ended && line.isEmpty { continue }
            var hasEmptyContinuation = false
            while !ended, let next = lines.next() {
                lineNumber += 1
                let left = GoText.trimLeft(next)
                if left.hasPrefix("#") { continue }
                if left.isEmpty {
                    hasEmptyContinuation = true
                    continue
                }
                let piece: String
                (piece, ended) = Self.trimContinuation(next, escape: directives.escape)
                line += piece
            }
            if hasEmptyContinuation {
                result.warnings.append("[WARNING]: Empty continuation line found in:\n    " + line)
            }
            result.nodes.append(try SyntaxNode(Substring(line), line: startLine, escape: directives.escape))
        }
        if result.nodes.isEmpty { throw .syntax("file with no instructions") }
        if lines.tooLong {
            throw .syntax("dockerfile line greater than max allowed size of \(maximumLineLength - 1)")
        }
        if !result.warnings.isEmpty {
            result.warnings.append("[WARNING]: Empty continuation lines will become errors in a future release.")
        }
        result.escape = directives.escape
        return result
    }

    /// Removes a trailing escape token (and spaces or tabs after it); `ended` is false when there was one.
    private static func trimContinuation(_ line: Substring, escape: Unicode.Scalar) -> (String, ended: Bool) {
        let scalars = line.unicodeScalars
        let body = scalars.reversed().drop { $0 == " " || $0 == "\t" }
        guard body.first == escape else { return (String(line), true) }
        let kept = scalars.count - scalars.reversed().prefix { $0 == " " || $0 == "\t" }.count - 1
        return (String(String.UnicodeScalarView(scalars.prefix(kept))), false)
    }
}

/// The physical lines of a text as Go's `bufio.Scanner` gives them, stopping at an overlong line.
private struct PhysicalLines {
    private var rest: Substring
    private(set) var tooLong = false

    init(_ text: String) {
        rest = Substring(text)
    }

    mutating func next() -> Substring? {
        if rest.isEmpty || tooLong { return nil }
        let scalars = rest.unicodeScalars
        let newline = scalars.firstIndex(of: "\n")
        var line = Substring(scalars[..<(newline ?? scalars.endIndex)])
        if line.utf8.count >= DockerfileSyntax.maximumLineLength {
            tooLong = true
            return nil
        }
        rest = newline.map { Substring(scalars[scalars.index(after: $0)...]) } ?? ""
        if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
        return line
    }
}
