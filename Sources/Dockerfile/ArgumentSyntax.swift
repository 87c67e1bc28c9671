/// The argument forms of Docker's line parser, which split an instruction's text into its words
/// before any instruction-specific checks.
enum ArgumentSyntax {
    /// Words separated by white space, with quotes and escapes kept in the words (Docker's
    /// `parseWords`): a quote only keeps white space inside one word, the escape token only keeps the
    /// next character from ending a word or a quote. A quoted empty word counts.
    static func words(_ text: Substring, escape: Unicode.Scalar) -> [String] {
        enum Phase { case spaces, word, quote }
        var words: [String] = []
        var phase = Phase.spaces
        var word = ""
        var quote: Unicode.Scalar = "\""
        var blankOK = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while true {
            guard let scalar = pending else {
                if phase != .spaces && (blankOK || !word.isEmpty) { words.append(word) }
                return words
            }
            pending = iterator.next()
            switch phase {
            case .spaces:
                if GoText.isSpace(scalar) { continue }
                phase = .word
                fallthrough
            case .word:
                if GoText.isSpace(scalar) {
                    phase = .spaces
                    if blankOK || !word.isEmpty { words.append(word) }
                    word = ""
                    blankOK = false
                    continue
                }
                if scalar == "'" || scalar == "\"" {
                    quote = scalar
                    blankOK = true
                    phase = .quote
                }
                if scalar == escape {
                    // An escape token at the very end is dropped; otherwise it stays with the next character.
                    guard let escaped = pending else { continue }
                    word.unicodeScalars.append(scalar)
                    word.unicodeScalars.append(escaped)
                    pending = iterator.next()
                    continue
                }
                word.unicodeScalars.append(scalar)
            case .quote:
                if scalar == quote { phase = .word }
                if scalar == escape && quote != "'" {
                    guard let escaped = pending else {
                        phase = .word
                        continue
                    }
                    word.unicodeScalars.append(scalar)
                    word.unicodeScalars.append(escaped)
                    pending = iterator.next()
                    continue
                }
                word.unicodeScalars.append(scalar)
            }
        }
    }

    /// `ENV`/`LABEL` arguments as alternating keys and values: `key=value ...`, or the legacy
    /// `key value` form when the first word has no `=` (the value is then the rest of the text).
    static func nameValues(_ text: Substring, instruction: String, escape: Unicode.Scalar) throws(DockerfileError)
        -> [String]
    {
        let words = words(text, escape: escape)
        guard let first = words.first else { return [] }
        guard first.contains("=") else {
            let parts = GoText.splitTokens(text, limit: 2)
            guard parts.count == 2 else { throw .syntax("\(instruction) must have two arguments") }
            return [String(parts[0]), String(parts[1])]
        }
        var result: [String] = []
        for word in words {
            guard let equals = word.firstIndex(of: "=") else {
                throw .syntax(
                    "Syntax error - can't find = in \(GoText.quote(word)). Must be of the form: name=value")
            }
            result.append(String(word[..<equals]))
            result.append(String(word[word.index(after: equals)...]))
        }
        return result
    }

    /// Words separated by runs of `[\t\v\f\r ]`, nothing else special (`FROM`, `EXPOSE`).
    static func whitespaceDelimited(_ text: Substring) -> [String] {
        text.isEmpty ? [] : GoText.splitTokens(text).map(String.init)
    }

    /// The JSON form when the text is a JSON array of strings, else the whole text as one argument.
    static func maybeJSON(_ text: Substring) throws(DockerfileError) -> (arguments: [String], isJSON: Bool) {
        if text.isEmpty { return ([], false) }
        switch JSONStringArray.parse(text) {
        case .strings(let strings): return (strings, true)
        case .notStrings: throw JSONStringArray.notStringsError
        case .notJSON: return ([String(text)], false)
        }
    }

    /// The JSON form when the text is a JSON array of strings, else white-space-separated words
    /// (`ADD`, `COPY`, `VOLUME`).
    static func maybeJSONToList(_ text: Substring) throws(DockerfileError) -> (arguments: [String], isJSON: Bool) {
        switch JSONStringArray.parse(text) {
        case .strings(let strings): return (strings, true)
        case .notStrings: throw JSONStringArray.notStringsError
        case .notJSON: return (whitespaceDelimited(text), false)
        }
    }

    /// `HEALTHCHECK`: the type word, then the command in either form.
    static func healthcheck(_ text: Substring) throws(DockerfileError) -> (arguments: [String], isJSON: Bool) {
        if text.isEmpty { return ([], false) }
        let scalars = text.unicodeScalars
        let separator = scalars.firstIndex(where: GoText.isSpace) ?? scalars.endIndex
        let kind = String(scalars[..<separator])
        let rest = scalars[separator...].drop(while: GoText.isSpace)
        let command = try maybeJSON(Substring(rest))
        return ([kind] + command.arguments, command.isJSON)
    }
}
