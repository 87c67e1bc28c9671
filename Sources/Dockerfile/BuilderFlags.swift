/// The `--name=value` flags that may start an instruction's arguments, as Docker's `BFlags` reads them.
struct BuilderFlags {
    enum Kind { case string, strings }

    private let words: [String]
    private var kinds: [String: Kind] = [:]
    private(set) var values: [String: [String]] = [:]
    /// The flags given, in order of first use.
    private(set) var used: [String] = []

    init(_ words: [String]) {
        self.words = words
    }

    mutating func add(_ name: String, _ kind: Kind = .string) {
        kinds[name] = kind
    }

    /// The value of a single-valued flag; nil when absent.
    func value(_ name: String) -> String? {
        values[name]?.last
    }

    /// Checks the words against the declared flags, with dockerd's messages.
    mutating func parse() throws(DockerfileError) {
        for word in words {
            guard word.hasPrefix("--") else { throw DockerfileError("Arg should start with -- : \(word)") }
            if word == "--" { return }
            var name = String(word.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let kind = kinds[name] else { throw DockerfileError("Unknown flag: \(name)") }
            if used.contains(name) {
                if kind != .strings { throw DockerfileError("Duplicate flag specified: \(name)") }
            } else {
                used.append(name)
            }
            guard let value else { throw DockerfileError("Missing a value on flag: \(name)") }
            values[name, default: []].append(value)
        }
    }

    /// Splits the leading `--flag` words off an instruction's arguments (Docker's
    /// `extractBuilderFlags`): quotes and `\` escapes inside a flag word are processed; a `--` word
    /// ends the flags. Works on bytes, as Docker does.
    static func extract(_ text: Substring) -> (rest: Substring, flags: [String]) {
        enum Phase { case spaces, word, quote }
        let bytes = Array(text.utf8)
        var flags: [String] = []
        var phase = Phase.spaces
        var word: [UInt8] = []
        var quote: UInt8 = 0
        var blankOK = false
        var position = 0
        func isSpace(_ byte: UInt8) -> Bool {
            byte < 0x80 && GoText.isSpace(Unicode.Scalar(byte))
        }
        func rest(from offset: Int) -> Substring {
            Substring(String(decoding: bytes[offset...], as: UTF8.self))
        }
        while position <= bytes.count {
            let atEnd = position == bytes.count
            var byte: UInt8 = atEnd ? 0 : bytes[position]
            if phase == .spaces {
                if atEnd { break }
                if isSpace(byte) {
                    position += 1
                    continue
                }
                guard byte == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "-")
                else { return (rest(from: position), flags) }
                phase = .word
            }
            if atEnd {
                if word != Array("--".utf8) && (blankOK || !word.isEmpty) {
                    flags.append(String(decoding: word, as: UTF8.self))
                }
                break
            }
            if phase == .word {
                if isSpace(byte) {
                    phase = .spaces
                    if word == Array("--".utf8) { return (rest(from: position), flags) }
                    if blankOK || !word.isEmpty { flags.append(String(decoding: word, as: UTF8.self)) }
                    word = []
                    blankOK = false
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                    quote = byte
                    blankOK = true
                    phase = .quote
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "\\") {
                    if position + 1 == bytes.count {
                        position += 1
                        continue
                    }
                    position += 1
                    byte = bytes[position]
                }
                word.append(byte)
                position += 1
                continue
            }
            // Inside a quote.
            if byte == quote {
                phase = .word
                position += 1
                continue
            }
            if byte == UInt8(ascii: "\\") {
                if position + 1 == bytes.count {
                    phase = .word
                    position += 1
                    continue
                }
                position += 1
                byte = bytes[position]
            }
            word.append(byte)
            position += 1
        }
        return (text[text.endIndex...], flags)
    }
}
