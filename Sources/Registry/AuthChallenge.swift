/// One challenge of a `WWW-Authenticate` header (RFC 7235): a scheme and its parameters, e.g.
/// `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"`.
///
/// Only the two schemes registries use matter here: `Basic` and `Bearer`. Scheme names compare
/// case-insensitively; parameter names are stored lower-cased.
struct AuthChallenge: Sendable, Hashable {
    enum Scheme: Sendable, Hashable {
        case basic
        case bearer
        case other(String)
    }

    var scheme: Scheme
    var parameters: [String: String]

    var realm: String? { parameters["realm"] }
    var service: String? { parameters["service"] }
    /// The scopes the registry named (the `scope` parameter holds one or more, space-separated).
    var scopes: [String] { parameters["scope"].map { $0.split(separator: " ").map(String.init) } ?? [] }

    /// The challenge this client answers from the `WWW-Authenticate` header values of a response:
    /// a bearer challenge with a realm if there is one, else a basic one.
    static func preferred(from headerValues: [String]) -> AuthChallenge? {
        let challenges = headerValues.flatMap(parse)
        return challenges.first { $0.scheme == .bearer && $0.realm != nil } ?? challenges.first { $0.scheme == .basic }
    }

    /// Parses every challenge of one header value. Malformed input gives what could be read.
    static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = Scanner(Array(header.utf8))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == .space || $0 == .tab || $0 == .comma }
            let schemeName = scanner.token()
            guard !schemeName.isEmpty else { break }
            var parameters: [String: String] = [:]
            while true {
                scanner.skip { $0 == .space || $0 == .tab || $0 == .comma }
                let mark = scanner.position
                let name = scanner.token()
                scanner.skip { $0 == .space || $0 == .tab }
                guard !name.isEmpty, scanner.peek == .equals else {
                    // Not `name=`: the start of the next challenge (or the end).
                    scanner.position = mark
                    break
                }
                scanner.advance()
                scanner.skip { $0 == .space || $0 == .tab }
                parameters[name.lowercased()] = scanner.peek == .quote ? scanner.quoted() : scanner.token()
            }
            let scheme: Scheme = switch schemeName.lowercased() {
            case "basic": .basic
            case "bearer": .bearer
            default: .other(schemeName)
            }
            challenges.append(AuthChallenge(scheme: scheme, parameters: parameters))
            if scanner.isAtEnd { break }
        }
        return challenges
    }

    /// A cursor over the bytes of a header value.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position >= bytes.count }
        var peek: UInt8? { isAtEnd ? nil : bytes[position] }

        mutating func advance() { position += 1 }

        mutating func skip(while predicate: (UInt8) -> Bool) {
            while let byte = peek, predicate(byte) { advance() }
        }

        /// A run of characters up to whitespace, a comma, `=` or a quote.
        mutating func token() -> String {
            let start = position
            skip { $0 != .space && $0 != .tab && $0 != .comma && $0 != .equals && $0 != .quote }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// A quoted string with backslash escapes; the scanner stands on the opening quote.
        mutating func quoted() -> String {
            advance()
            var value: [UInt8] = []
            while let byte = peek {
                advance()
                if byte == .quote { break }
                if byte == .backslash, let escaped = peek {
                    advance()
                    value.append(escaped)
                } else {
                    value.append(byte)
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
}
