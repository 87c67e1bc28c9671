/// Docker's shell-word expansion (the `shell.Lex` of the legacy builder), used on the words of
/// `ADD`, `ARG`, `COPY`, `ENV`, `EXPOSE`, `FROM`, `LABEL`, `STOPSIGNAL`, `USER`, `VOLUME` and `WORKDIR`.
///
/// Handles `$name`, `${name}`, `${name:-word}` (word when unset or empty), `${name:+word}` (word
/// when set and not empty), `${name:?word}` (an error when unset or empty), single quotes (literal),
/// double quotes (where the escape token escapes only `"`, `$` and itself), and the escape token
/// elsewhere. dockerd 20.10 has no `${name-word}` or `${name+word}`: they fail with
/// `missing ':' in substitution`. It does no command substitution, globbing or arithmetic.
public enum ShellWord {
    /// The word with variables substituted and quotes and escapes removed (Docker's `ProcessWord`).
    public static func expand(
        _ word: String, escapeToken: Character = "\\", lookup: (String) -> String?
    ) throws(DockerfileError) -> String {
        try run(word, escapeToken: escapeToken, lookup: lookup).word
    }

    /// The text expanded and split into words at unquoted white space, including white space that
    /// comes from a variable's value (Docker's `ProcessWords`, which `EXPOSE` uses).
    public static func expandWords(
        _ text: String, escapeToken: Character = "\\", lookup: (String) -> String?
    ) throws(DockerfileError) -> [String] {
        try run(text, escapeToken: escapeToken, lookup: lookup).words
    }

    private static func run(
        _ source: String, escapeToken: Character, lookup: (String) -> String?
    ) throws(DockerfileError) -> (word: String, words: [String]) {
        let scalars = Array(source.unicodeScalars)
        let escape = escapeToken.unicodeScalars.first ?? "\\"
        let outcome = withoutActuallyEscaping(lookup) { lookup in
            var lexer = ShellLexer(scalars: scalars, escape: escape, lookup: lookup)
            return Result { () throws(DockerfileError) in try lexer.process(stopAt: nil) }
        }
        switch outcome {
        case .success(let result):
            return result
        case .failure(let error):
            throw DockerfileError("failed to process \(GoText.quote(source)): \(error.message)")
        }
    }
}

/// The scanner behind `ShellWord`, over the word's Unicode scalars (Go's runes).
private struct ShellLexer {
    let scalars: [Unicode.Scalar]
    let escape: Unicode.Scalar
    let lookup: (String) -> String?
    var position = 0

    init(scalars: [Unicode.Scalar], escape: Unicode.Scalar, lookup: @escaping (String) -> String?) {
        self.scalars = scalars
        self.escape = escape
        self.lookup = lookup
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func next() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        position += 1
        return scalars[position - 1]
    }

    /// Reads up to `stop` (consumed) or the end, giving the joined word and the split words.
    mutating func process(stopAt stop: Unicode.Scalar?) throws(DockerfileError) -> (word: String, words: [String]) {
        var result = ""
        var words = WordSplitter()
        while let scalar = peek {
            if let stop, scalar == stop {
                _ = next()
                return (result, words.finish())
            }
            switch scalar {
            case "'":
                let text = try singleQuoted()
                result += text
                words.addRaw(text)
            case "\"":
                let text = try doubleQuoted()
                result += text
                words.addRaw(text)
            case "$":
                let text = try dollar()
                result += text
                words.add(text)
            default:
                _ = next()
                if scalar == escape {
                    // The escape token keeps the next character literally; at the end it is dropped.
                    guard let escaped = next() else { break }
                    words.addRaw(escaped)
                    result.unicodeScalars.append(escaped)
                } else {
                    words.add(scalar)
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        if let stop {
            throw DockerfileError("unexpected end of statement while looking for matching \(stop)")
        }
        return (result, words.finish())
    }

    private mutating func singleQuoted() throws(DockerfileError) -> String {
        _ = next()
        var text = ""
        while let scalar = next() {
            if scalar == "'" { return text }
            text.unicodeScalars.append(scalar)
        }
        throw DockerfileError("unexpected end of statement while looking for matching single-quote")
    }

    private mutating func doubleQuoted() throws(DockerfileError) -> String {
        _ = next()
        var text = ""
        while let scalar = peek {
            switch scalar {
            case "\"":
                _ = next()
                return text
            case "$":
                text += try dollar()
            default:
                _ = next()
                var literal = scalar
                if scalar == escape {
                    guard let following = peek else { continue }
                    if following == "\"" || following == "$" || following == escape {
                        literal = following
                        _ = next()
                    }
                }
                text.unicodeScalars.append(literal)
            }
        }
        throw DockerfileError("unexpected end of statement while looking for matching double-quote")
    }

    private mutating func dollar() throws(DockerfileError) -> String {
        _ = next()
        guard peek == "{" else {
            let name = readName()
            if name.isEmpty { return "$" }
            return lookup(name) ?? ""
        }
        _ = next()
        switch peek {
        case nil:
            throw DockerfileError("syntax error: missing '}'")
        case "{", "}", ":":
            throw DockerfileError("syntax error: bad substitution")
        default:
            break
        }
        let name = readName()
        switch next() {
        case "}":
            return lookup(name) ?? ""
        case ":":
            let modifier = next()
            let word: String
            do {
                word = try process(stopAt: "}").word
            } catch {
                if peek == nil { throw DockerfileError("syntax error: missing '}'") }
                throw error
            }
            let value = lookup(name) ?? ""
            switch modifier {
            case "-":
                return value.isEmpty ? word : value
            case "+":
                return value.isEmpty ? value : word
            case "?":
                if value.isEmpty {
                    throw DockerfileError("\(name): \(word.isEmpty ? "is not allowed to be unset" : word)")
                }
                return value
            default:
                let shown = modifier.map { String(Character($0)) } ?? "\u{FFFD}"
                throw DockerfileError("unsupported modifier (\(shown)) in substitution")
            }
        default:
            throw DockerfileError("missing ':' in substitution")
        }
    }

    /// A name of letters, digits and `_`; or a run of digits; or one special parameter (`$@`, `$#`...).
    private mutating func readName() -> String {
        var name = ""
        while let scalar = peek {
            if name.isEmpty && isDigit(scalar) {
                while let digit = peek, isDigit(digit) {
                    name.unicodeScalars.append(digit)
                    _ = next()
                }
                return name
            }
            if name.isEmpty && "@*#?-$!0".unicodeScalars.contains(scalar) {
                _ = next()
                return String(Character(scalar))
            }
            guard isLetter(scalar) || isDigit(scalar) || scalar == "_" else { break }
            name.unicodeScalars.append(scalar)
            _ = next()
        }
        return name
    }
}

/// Go's `unicode.IsDigit` (category Nd).
private func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .decimalNumber
}

/// Go's `unicode.IsLetter` (categories Lu, Ll, Lt, Lm, Lo).
private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
    default: false
    }
}

/// Collects the words of `ProcessWords`: literal white space and white space from variables splits,
/// quoted and escaped text never does.
private struct WordSplitter {
    private var word = ""
    private var words: [String] = []
    private var inWord = false

    mutating func add(_ scalar: Unicode.Scalar) {
        if GoText.isSpace(scalar) {
            if inWord && !word.isEmpty {
                words.append(word)
                word = ""
                inWord = false
            }
        } else {
            addRaw(scalar)
        }
    }

    mutating func add(_ text: String) {
        for scalar in text.unicodeScalars { add(scalar) }
    }

    mutating func addRaw(_ scalar: Unicode.Scalar) {
        word.unicodeScalars.append(scalar)
        inWord = true
    }

    mutating func addRaw(_ text: String) {
        word += text
        inWord = true
    }

    mutating func finish() -> [String] {
        if !word.isEmpty {
            words.append(word)
            word = ""
            inWord = false
        }
        return words
    }
}
