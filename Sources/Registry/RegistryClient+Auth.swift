import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Sends a request with the authorization the registry's last known challenge calls for; on a 401
    /// with a challenge, remembers the challenge, authorizes afresh (a new token, or basic auth) and
    /// sends once more. Returns the last response, whatever its status (a 401's body is kept readable).
    func send(_ request: HTTPClientRequest, _ operation: RegistryOperation, deadline: NIODeadline) async throws -> HTTPClientResponse {
        let endpoint = operation.endpoint
        var request = request
        let toRegistry = Self.origin(of: request.url) == Self.origin(of: endpoint.origin)
        var sent: String?
        if toRegistry, !operation.fresh, let known = authCache.withLock({ $0.challenge(for: endpoint.host) }) {
            sent = try await authorization(answering: known, operation, refresh: false)
        }
        if let sent { request.headers.replaceOrAdd(name: "Authorization", value: sent) }
        let response = try await execute(request, endpoint: endpoint, deadline: deadline)
        guard response.status == .unauthorized, toRegistry,
              let challenge = AuthChallenge.preferred(from: response.headers["WWW-Authenticate"])
        else { return response }
        authCache.withLock { $0.setChallenge(challenge, for: endpoint.host) }
        // Read the 401 now: fetching a token must not wait on a body nobody reads.
        let body = (try? await response.body.collect(upTo: 64 << 10)) ?? ByteBuffer()
        let refused = HTTPClientResponse(version: response.version, status: response.status, headers: response.headers, body: .bytes(body))
        guard let fresh = try await authorization(answering: challenge, operation, refresh: true), fresh != sent else { return refused }
        logger.debug("retry registry request with new authorization", metadata: ["url": "\(request.url)"])
        request.headers.replaceOrAdd(name: "Authorization", value: fresh)
        return try await execute(request, endpoint: endpoint, deadline: deadline)
    }

    /// The `Authorization` header value that answers `challenge`, or nil when there is nothing to answer
    /// with (basic auth without credentials, an unknown scheme). `refresh` skips the token cache.
    func authorization(answering challenge: AuthChallenge, _ operation: RegistryOperation, refresh: Bool) async throws -> String? {
        switch challenge.scheme {
        case .basic:
            guard let credentials = operation.credentials, !credentials.username.isEmpty else { return nil }
            return "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        case .bearer:
            let scopes = Array(Set(operation.scopes + challenge.scopes)).sorted()
            let key = AuthCache.TokenKey(host: operation.endpoint.host, scopes: scopes, credentials: operation.credentials)
            if !refresh, let token = authCache.withLock({ $0.token(for: key, now: .now) }) { return "Bearer " + token }
            let token = try await fetchToken(challenge, scopes: scopes, operation)
            authCache.withLock { $0.setToken(token, for: key, now: .now) }
            return "Bearer " + token.value
        case .other:
            return nil
        }
    }

    /// What token servers answer: the token (`token`, or OAuth2's `access_token`) and its lifetime.
    private struct TokenResponse: Decodable {
        var token: String?
        var accessToken: String?
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case token
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// What token servers answer when they refuse: Docker Hub's `{"details": …}`, OAuth2's
    /// `error_description`, or a registry error body.
    private struct TokenRefusal: Decodable {
        var details: String?
        var errorDescription: String?
        var errors: [RegistryErrorBody.Entry]?

        enum CodingKeys: String, CodingKey {
            case details, errors
            case errorDescription = "error_description"
        }

        var detail: String? {
            details ?? errorDescription ?? errors.flatMap { RegistryErrorBody(errors: $0).summary }
        }
    }

    /// Asks the challenge's realm for a token: `GET realm?service=…&scope=…` with the credentials as
    /// basic auth (anonymously without), or, with an identity token, `POST realm` with the OAuth2
    /// `refresh_token` grant. The token is kept until 90% of its lifetime (`expires_in`, 60 s if absent,
    /// at most a day) has passed.
    func fetchToken(_ challenge: AuthChallenge, scopes: [String], _ operation: RegistryOperation) async throws -> AuthCache.Token {
        guard let realm = challenge.realm, realm.hasPrefix("https://") || realm.hasPrefix("http://"), Self.origin(of: realm) != nil else {
            throw RegistryError(
                .protocolError, "registry \(operation.endpoint.host) asked for a bearer token without a usable realm: \"\(challenge.realm ?? "")\"")
        }
        let credentials = operation.credentials
        var request: HTTPClientRequest
        if let identityToken = credentials?.identityToken, !identityToken.isEmpty {
            request = HTTPClientRequest(url: realm)
            request.method = .POST
            var form: [(String, String)] = [("grant_type", "refresh_token"), ("refresh_token", identityToken), ("client_id", "berth")]
            if let service = challenge.service { form.append(("service", service)) }
            if !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
            let body = form.map { Self.escape($0.0) + "=" + Self.escape($0.1) }.joined(separator: "&")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        } else {
            var query: [(String, String)] = []
            if let service = challenge.service { query.append(("service", service)) }
            query += scopes.map { ("scope", $0) }
            if let credentials, !credentials.username.isEmpty {
                query.append(("account", credentials.username))
            }
            request = HTTPClientRequest(url: Self.appendingQuery(realm, query))
            if let credentials, !credentials.username.isEmpty {
                request.headers.add(
                    name: "Authorization", value: "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString())
            }
        }
        logger.debug("fetch registry token", metadata: ["realm": "\(realm)", "scopes": "\(scopes)", "registry": "\(operation.endpoint.host)"])
        let response = try await execute(request, endpoint: operation.endpoint, deadline: .now() + Self.requestTimeout)
        let body = try await collect(response, limit: 1 << 20, what: "token from \(realm)")
        switch response.status.code {
        case 200:
            guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(body)),
                  let token = decoded.token ?? decoded.accessToken, !token.isEmpty
            else { throw RegistryError(.protocolError, "token server \(realm) answered without a token") }
            let lifetime = min(max(decoded.expiresIn ?? 60, 1), 86_400)
            return AuthCache.Token(value: token, expires: .now + .milliseconds(lifetime * 900))
        case 400, 401, 403:
            let detail = (try? JSONDecoder().decode(TokenRefusal.self, from: Data(body)))?.detail
            throw operation.denied(
                status: response.status,
                detail: detail ?? "token server \(realm) answered \(response.status.code) \(response.status.reasonPhrase)")
        default:
            let code: RegistryError.Code = response.status.code == 429 || response.status.code >= 500 ? .unavailable : .protocolError
            throw RegistryError(
                code, "token server \(realm) answered \(response.status.code) \(response.status.reasonPhrase)", status: Int(response.status.code))
        }
    }
}
