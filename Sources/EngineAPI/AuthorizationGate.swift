import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// The authorization plugins' say on each request (`authorization-plugins` in daemon.json): asked
/// before the request reaches its handler and again about a complete response; a denial is a 403
/// naming the plugin. Streams and hijacked connections are judged on the request alone.
struct AuthorizationGate {
    let environment: APIEnvironment

    /// Bodies up to this size are shown to the plugins when they are JSON.
    static let bodyLimit = 1 << 20

    /// nil when no plugin is configured.
    func request(_ request: HTTPRequest) -> AuthorizationRequest? {
        guard !environment.config.read({ $0.authorizationPlugins.isEmpty }) else { return nil }
        let isJSON = request.headers.first(name: "Content-Type")?.hasPrefix("application/json") ?? false
        let body = isJSON && request.bodyFile == nil && request.body.readableBytes <= Self.bodyLimit ? Data(request.body.readableBytesView) : nil
        return AuthorizationRequest(method: request.method.rawValue, uri: request.uri, headers: Self.flatten(request.headers), body: body)
    }

    /// A 403 when a plugin denies the request.
    func check(_ request: AuthorizationRequest) async throws {
        let verdict = try await environment.subsystems.plugins.ask { try await $0.authorize(request) }
        if !verdict.allowed { throw Self.denial(verdict) }
    }

    /// The response, or a 403 when a plugin denies it.
    func check(_ response: HTTPResponse, to request: AuthorizationRequest) async -> HTTPResponse {
        guard case .bytes(let buffer) = response.body else { return response }
        let seen = AuthorizationResponse(statusCode: Int(response.status.code), headers: Self.flatten(response.headers), body: Data(buffer.readableBytesView))
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

    private static func flatten(_ headers: HTTPHeaders) -> [String: String] {
        Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, next in first + ", " + next })
    }
}
