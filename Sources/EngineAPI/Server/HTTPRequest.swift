import NIOCore
import NIOHTTP1

/// One decoded HTTP request with its whole body (the server bounds the body size, answering 413 above it).
///
/// The body is in memory (`body`), except for the requests the server spools to a file (see
/// ``BodySpooling``): their `body` is empty and `bodyFile` names the file holding it.
///
/// `path` and `query` are derived from `uri` the way Go's `net/url` does for dockerd: the path is
/// percent-decoded (`%2F` becomes `/`, `+` stays `+`), the query is split on `&` and each key and value is
/// form-decoded (`+` becomes a space). Repeated keys keep their values in order (`names=a&names=b`).
/// A malformed escape is kept as written rather than rejected.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The raw request target, as sent (`/v1.51/containers/json?all=1`).
    public var uri: String
    /// The percent-decoded path, without the query (`/v1.51/containers/json`).
    public var path: String
    /// The decoded query parameters.
    public var query: [String: [String]]
    public var headers: HTTPHeaders
    /// The body, when it is kept in memory; empty when it was spooled to ``bodyFile``.
    public var body: ByteBuffer
    /// The file holding the whole body of a request spooled by ``BodySpooling`` (then ``body`` is empty);
    /// nil for a request whose body is in memory.
    ///
    /// The server owns the file: it removes it once the response has been sent, a streamed body included
    /// (or when the request fails), so a responder must not keep the path beyond that. A responder may
    /// move or remove the file earlier; the server then has nothing left to remove.
    public var bodyFile: String?

    /// Makes a request, deriving `path` and `query` from `uri`.
    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders = [:],
        body: ByteBuffer = ByteBuffer(),
        bodyFile: String? = nil
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.bodyFile = bodyFile
        let (rawPath, rawQuery) = Self.split(target: uri)
        let path = Self.percentDecode(rawPath, plusIsSpace: false) ?? String(rawPath)
        self.path = path.isEmpty ? "/" : path
        self.query = rawQuery.map(Self.parseQuery) ?? [:]
    }

    /// Splits a request target into its path and query, dropping a fragment and, for the absolute form
    /// (`http://host/path`), the scheme and authority.
    static func split(target: String) -> (path: Substring, query: Substring?) {
        var rest = Substring(target)
        if let hash = rest.firstIndex(of: "#") {
            rest = rest[..<hash]
        }
        if rest.first != "/" {
            for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
                let afterScheme = rest.dropFirst(scheme.count)
                rest = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterScheme[$0...] } ?? ""
            }
        }
        guard let question = rest.firstIndex(of: "?") else {
            return (rest, nil)
        }
        return (rest[..<question], rest[rest.index(after: question)...])
    }

    /// Parses `a=1&b=&c&a=2` into `["a": ["1", "2"], "b": [""], "c": [""]]`.
    static func parseQuery(_ query: Substring) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                key = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                key = pair
                value = ""
            }
            let decodedKey = Self.percentDecode(key, plusIsSpace: true) ?? String(key)
            let decodedValue = Self.percentDecode(value, plusIsSpace: true) ?? String(value)
            result[decodedKey, default: []].append(decodedValue)
        }
        return result
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`); nil when an escape is malformed or
    /// the result is not UTF-8.
    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex,
                    let highValue = Self.hexValue(utf8[high]),
                    let lowValue = Self.hexValue(utf8[low])
                else { return nil }
                bytes.append(highValue << 4 | lowValue)
                index = utf8.index(after: low)
                continue
            }
            bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
