import Foundation
import Messages
import NIOCore
import NIOHTTP1

extension HTTPResponse {
    /// A JSON body.
    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        json(body: ByteBuffer(bytes: value.utf8()), status: status)
    }

    /// An `Encodable` value as a JSON body.
    static func json(encoding value: some Encodable, status: HTTPResponseStatus = .ok) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json(data: try encoder.encode(value), status: status)
    }

    static func json(data: Data, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        json(body: ByteBuffer(bytes: data), status: status)
    }

    private static func json(body: ByteBuffer, status: HTTPResponseStatus) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(body))
    }

    /// Docker's error body: `{"message": "…"}`.
    static func error(_ error: EngineErrorResponse) -> HTTPResponse {
        json(["message": .string(error.message)], status: error.status)
    }

    /// A plain-text body.
    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponseStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        return HTTPResponse(status: status, headers: headers, body: .bytes(ByteBuffer(string: text)))
    }

    /// No body at all.
    static func empty(_ status: HTTPResponseStatus) -> HTTPResponse {
        HTTPResponse(status: status)
    }
}

extension HTTPRequest {
    /// The first value of a query parameter, as Go's `url.Values.Get` reads it (dockerd, and the
    /// authorization plugins written in Go).
    func query(_ name: String) -> String? { query[name]?.first }

    /// A boolean query parameter as Moby reads them: "", "0", "no", "false" and "none" are false.
    func flag(_ name: String) -> Bool {
        guard let value = query(name)?.lowercased() else { return false }
        return !["", "0", "no", "false", "none"].contains(value)
    }

    /// The body decoded as JSON; a clear 400 when it is not valid, not declared `application/json` (as
    /// dockerd's `CheckForJSON`) or ambiguous (see ``JSONMemberNames``).
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        try checkJSONContentType()
        guard body.readableBytes > 0 else {
            throw EngineErrorResponse(status: .badRequest, message: "a JSON body is required")
        }
        return try Self.decodeJSON(type, from: Data(body.readableBytesView))
    }

    /// JSON from a client (a body, a query parameter) decoded as Go reads it into Docker's types (members
    /// match properties ignoring case, see ``GoFieldMatching``), or a 400: a member name that repeats in
    /// one object (see ``JSONMemberNames``), or in one struct's members with any case, is refused.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let name = JSONMemberNames.firstRepeatedName(in: data) {
            throw ambiguousJSON(name)
        }
        do {
            return try JSONDecoder().decode(GoFieldMatching<T>.self, from: data).value
        } catch let error as DecodingError {
            throw ErrorMapping.response(for: error)
        } catch let collision as GoFieldCollision {
            throw ambiguousJSON(collision.name)
        }
    }

    private static func ambiguousJSON(_ name: String) -> EngineErrorResponse {
        EngineErrorResponse(
            status: .badRequest,
            message: "ambiguous JSON: the member name \"\(name)\" appears more than once in one object (field names match case-insensitively)")
    }
}
