import Foundation
import NIOHTTP1

/// The request as dockerd's Go server understands it, so that what an authorization plugin is shown is
/// what runs: the clean path gorilla/mux routes on, the URI a plugin is sent, the query's escapes Go
/// accepts and whether the body is JSON.
extension HTTPRequest {
    /// The percent-decoded path cleaned as gorilla/mux cleans it before routing: `path.Clean` (no empty,
    /// `.` or `..` segments) with a trailing slash kept. dockerd answers a path that differs from its clean
    /// form with `301` to the clean one, and runs nothing.
    var cleanPath: String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let cleaned = "/" + segments.joined(separator: "/")
        return path.hasSuffix("/") && cleaned != "/" ? cleaned + "/" : cleaned
    }

    /// Where a request whose path is not clean is sent: the clean path, escaped, with the query as sent.
    var cleanLocation: String {
        Self.escapePath(cleanPath) + (Self.split(target: uri).query.map { "?" + $0 } ?? "")
    }

    /// The URI an authorization plugin is shown: the decoded path that is routed, escaped again (so
    /// `/containers%2Fcreate` is shown as `/containers/create`, as it runs), and the query as sent, which
    /// a plugin parses as the handlers read it (``query(_:)`` takes the first value, as Go does).
    var canonicalURI: String {
        Self.escapePath(path) + (Self.split(target: uri).query.map { "?" + $0 } ?? "")
    }

    /// dockerd's 400 for a query with a malformed `%` escape (Go's `url.ParseQuery` refuses it while a
    /// plugin's `URL.Query()` silently drops the pair), else nil.
    var malformedQueryEscape: EngineErrorResponse? {
        guard let query = Self.split(target: uri).query else { return nil }
        var rest = query.utf8[...]
        while let percent = rest.firstIndex(of: UInt8(ascii: "%")) {
            let escape = rest[percent...].prefix(3)
            guard escape.count == 3, escape.dropFirst().allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else {
                return EngineErrorResponse(status: .badRequest, message: "invalid URL escape \"\(String(decoding: escape, as: UTF8.self))\"")
            }
            rest = rest[escape.endIndex...]
        }
        return nil
    }

    /// Whether the body is JSON as dockerd's `CheckForJSON` decides: one `Content-Type` whose media type is
    /// `application/json` (any case, with well-formed parameters).
    var hasJSONContentType: Bool {
        let types = headers["Content-Type"]
        guard types.count == 1, let type = types.first else { return false }
        return Self.isJSONMediaType(type)
    }

    /// dockerd's 400 for a body that is not declared JSON; a bodiless request without a `Content-Type` passes.
    func checkJSONContentType() throws(EngineErrorResponse) {
        let type = headers.first(name: "Content-Type") ?? ""
        guard !hasJSONContentType, !(type.isEmpty && body.readableBytes == 0 && bodyFile == nil) else { return }
        throw EngineErrorResponse(status: .badRequest, message: "Content-Type specified (\(type)) must be 'application/json'")
    }

    /// `application/json` with parameters as Go's `mime.ParseMediaType` accepts them (`; name=value`,
    /// the value a token or a quoted string, a trailing `;` allowed).
    static func isJSONMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.first.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == "application/json" else { return false }
        guard parts.count == 2 else { return true }
        var rest = parts[1].utf8[...]
        while true {
            rest = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard !rest.isEmpty else { return true }
            let name = rest.prefix(while: isTokenByte)
            rest = rest[name.endIndex...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard !name.isEmpty, rest.first == UInt8(ascii: "=") else { return false }
            rest = rest.dropFirst().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if rest.first == UInt8(ascii: "\"") {
                guard let end = quotedStringEnd(rest) else { return false }
                rest = rest[end...]
            } else {
                let value = rest.prefix(while: isTokenByte)
                guard !value.isEmpty else { return false }
                rest = rest[value.endIndex...]
            }
            rest = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard !rest.isEmpty else { return true }
            guard rest.first == UInt8(ascii: ";") else { return false }
            rest = rest.dropFirst()
        }
    }

    /// The index after the closing quote of the quoted string `text` starts with, nil when it is unterminated.
    private static func quotedStringEnd(_ text: Substring.UTF8View.SubSequence) -> Substring.UTF8View.Index? {
        var index = text.index(after: text.startIndex)
        while index != text.endIndex {
            switch text[index] {
            case UInt8(ascii: "\""): return text.index(after: index)
            case UInt8(ascii: "\\"):
                index = text.index(after: index)
                guard index != text.endIndex else { return nil }
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// An RFC 2045 token character.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }

    /// Escapes a decoded path as Go's `url.URL.EscapedPath` does: everything but letters, digits and
    /// `-._~/:@$&+,;=` as `%XX`.
    static func escapePath(_ path: String) -> String {
        var escaped = ""
        for byte in path.utf8 {
            let plain = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~/:@$&+,;=".utf8.contains(byte)
            if plain {
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                escaped += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return escaped
    }
}
