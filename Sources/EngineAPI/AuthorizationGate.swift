import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// The authorization plugins' say on each request (`authorization-plugins` in daemon.json): asked
/// before the request reaches its handler and again about a complete response; a denial is a 403
/// naming the plugin. Streams and hijacked connections are judged on the request alone.
///
/// A plugin is shown the request as it runs, as dockerd's `pkg/authorization` shows it and tighter where
/// dockerd lets the two differ: the URI with the path the router matched (``HTTPRequest/canonicalURI``),
/// the body only when it is declared JSON (the only bodies handlers decode as JSON, see
/// ``HTTPRequest/decodeBody(_:)``), never the body of `POST /auth` nor the credential headers
/// (`Authorization`, `X-Registry-Auth`, `X-Registry-Config`), and each header under Go's canonical name
/// with the value the handlers read (the first). A JSON body too large to be shown is refused rather than
/// run unseen, where dockerd runs it.
struct AuthorizationGate {
    let environment: APIEnvironment

    /// Bodies up to this size are shown to the plugins when they are JSON (dockerd's `maxBodySize`).
    static let bodyLimit = 1 << 20

    /// Headers that carry credentials, never shown to a plugin.
    static let credentialHeaders: Set<String> = ["authorization", "x-registry-auth", "x-registry-config"]

    /// What the plugins are asked about `request`, routed to `route`; nil when no plugin is configured.
    func request(_ request: HTTPRequest, route: Route) throws(EngineErrorResponse) -> AuthorizationRequest? {
        guard !environment.config.read({ $0.authorizationPlugins.isEmpty }) else { return nil }
        var body: Data?
        if request.hasJSONContentType && route.pattern != "/auth" && request.bodyFile == nil {
            guard request.body.readableBytes <= Self.bodyLimit else {
                throw EngineErrorResponse(status: .badRequest, message: "the JSON body is larger than \(Self.bodyLimit) bytes, the most the authorization plugins are shown")
            }
            body = Data(request.body.readableBytesView)
        }
        return AuthorizationRequest(method: request.method.rawValue, uri: request.canonicalURI, headers: Self.shown(request.headers), body: body)
    }

    /// A 403 when a plugin denies the request.
    func check(_ request: AuthorizationRequest) async throws {
        let verdict = try await environment.subsystems.plugins.ask { try await $0.authorize(request) }
        if !verdict.allowed { throw Self.denial(verdict) }
    }

    /// The response, or a 403 when a plugin denies it.
    func check(_ response: HTTPResponse, to request: AuthorizationRequest) async -> HTTPResponse {
        guard case .bytes(let buffer) = response.body else { return response }
        let seen = AuthorizationResponse(statusCode: Int(response.status.code), headers: Self.shown(response.headers), body: Data(buffer.readableBytesView))
        do {
            let verdict = try await environment.subsystems.plugins.ask { try await $0.authorizeResponse(request, seen) }
            return verdict.allowed ? response : .error(Self.denial(verdict))
        } catch {
            return .error(EngineErrorResponse(status: .forbidden, message: "authorization of the response failed: \(error)"))
        }
    }

    private static func denial(_ verdict: AuthorizationVerdict) -> EngineErrorResponse {
        EngineErrorResponse(status: .forbidden, message: "authorization denied by plugin \(verdict.plugin): \(verdict.message)")
    }

    /// The headers a plugin is shown: credentials left out, names in Go's canonical form, the first value
    /// of a repeated header.
    static func shown(_ headers: HTTPHeaders) -> [String: String] {
        var shown: [String: String] = [:]
        for (name, value) in headers where !credentialHeaders.contains(name.lowercased()) {
            let canonical = canonicalName(name)
            if shown[canonical] == nil { shown[canonical] = value }
        }
        return shown
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey`: `content-type` is `Content-Type`; a name with a byte that
    /// is not a token character is kept as sent.
    static func canonicalName(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !"\"(),/:;<=>?@[\\]{}".utf8.contains($0) }) else { return name }
        var upper = true
        let bytes = name.utf8.map { byte -> UInt8 in
            defer { upper = byte == UInt8(ascii: "-") }
            if upper, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { return byte - 32 }
            if !upper, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { return byte + 32 }
            return byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
