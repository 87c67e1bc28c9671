import NIOHTTP1

/// What one public call of `RegistryClient` is doing: where, for which repository, with which
/// credentials and token scopes, and how its failures are worded. Turning a registry's answer into a
/// `RegistryError` happens here and nowhere else.
struct RegistryOperation: Sendable {
    /// What the call needs from the registry; decides how a refusal reads.
    enum Access: Sendable {
        case pull
        case push
        case login
    }

    var endpoint: RegistryEndpoint
    var access: Access
    /// The repository the call is about, when there is one.
    var repository: String?
    /// The token scopes to ask for, e.g. `repository:bb:pull`.
    var scopes: [String]
    var credentials: RegistryCredentials?
    /// What the call is about, for messages: `manifest for 127.0.0.1:5000/bb:1`, `blob sha256:… in 127.0.0.1:5000/bb`.
    var subject: String
    /// Whether to skip cached challenges and tokens (login checks the credentials afresh).
    var fresh = false

    /// The scope of pulling from `repository`.
    static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
    /// The scope of pushing to `repository` (pushing reads too: existence checks, mounts).
    static func pushScope(_ repository: String) -> String { "repository:\(repository):pull,push" }

    /// The error for refused credentials, docker's wording; `detail` is what the registry or token server said.
    func denied(status: HTTPResponseStatus?, detail: String?) -> RegistryError {
        let name = repository.map(endpoint.displayName) ?? endpoint.host
        let suffix = detail.map { ": " + $0 } ?? ""
        let message = switch access {
        case .pull: "pull access denied for \(name), repository does not exist or may require 'docker login'" + suffix
        case .push: "push access denied for \(name), repository does not exist or may require 'docker login'" + suffix
        case .login:
            "login attempt to \(endpoint.apiBase) failed with status: "
                + (status.map { "\($0.code) \($0.reasonPhrase)" } ?? "401 Unauthorized") + suffix
        }
        return RegistryError(.unauthorized, message, status: status.map { Int($0.code) })
    }

    /// The error for an answer the call did not expect.
    func failure(status: HTTPResponseStatus, body: RegistryErrorBody?, method: HTTPMethod, url: String) -> RegistryError {
        let code = Int(status.code)
        switch status.code {
        case 401, 403:
            return denied(status: status, detail: body?.summary)
        case 404:
            if body?.firstCode == "NAME_UNKNOWN", let repository {
                return RegistryError(
                    .notFound, "repository \(endpoint.displayName(repository)) not found: \(body?.firstMessage ?? "name unknown")", status: code)
            }
            return RegistryError(.notFound, "\(subject) not found" + (body?.firstMessage.map { ": " + $0 } ?? ""), status: code)
        case 400 where ["MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN"].contains(body?.firstCode ?? ""):
            return RegistryError(.notFound, "registry \(endpoint.host) rejected \(subject): \(body?.summary ?? "blob unknown")", status: code)
        case 400 where ["DIGEST_INVALID", "SIZE_INVALID"].contains(body?.firstCode ?? ""):
            return RegistryError(.invalidDigest, "registry \(endpoint.host) rejected \(subject): \(body?.summary ?? "digest invalid")", status: code)
        case 413:
            return RegistryError(.tooLarge, "registry \(endpoint.host) rejected \(subject) as too large", status: code)
        case 429, 500...599:
            return RegistryError(
                .unavailable, "registry \(endpoint.host) is unavailable: \(method) \(url): \(code) \(status.reasonPhrase)"
                    + (body?.summary.map { ": " + $0 } ?? ""), status: code)
        default:
            return RegistryError(
                .protocolError, "unexpected answer from registry \(endpoint.host) for \(subject): \(method) \(url): \(code) \(status.reasonPhrase)"
                    + (body?.summary.map { ": " + $0 } ?? ""), status: code)
        }
    }
}
