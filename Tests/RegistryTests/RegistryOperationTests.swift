import Testing
@testable import Registry

/// How registry answers become errors (the one place they are mapped).
struct RegistryOperationTests {
    let endpoint: RegistryEndpoint

    init() throws { endpoint = try RegistryEndpoint(host: "127.0.0.1:5000", insecureRegistries: []) }

    func operation(_ access: RegistryOperation.Access, subject: String = "manifest for 127.0.0.1:5000/bb:1") -> RegistryOperation {
        RegistryOperation(endpoint: endpoint, access: access, repository: "bb", scopes: [], credentials: nil, subject: subject)
    }

    func body(_ code: String, _ message: String) -> RegistryErrorBody {
        RegistryErrorBody(errors: [.init(code: code, message: message)])
    }

    @Test func notFoundNamesTheRepositoryOrTheSubject() {
        let name = operation(.pull).failure(
            status: .notFound, body: body("NAME_UNKNOWN", "repository name not known to registry"), method: .GET, url: "u")
        #expect(name.code == .notFound)
        #expect(name.message == "repository 127.0.0.1:5000/bb not found: repository name not known to registry")
        let manifest = operation(.pull).failure(status: .notFound, body: nil, method: .GET, url: "u")
        #expect(manifest.message == "manifest for 127.0.0.1:5000/bb:1 not found")
        #expect(manifest.status == 404)
    }

    @Test func refusalsReadLikeDocker() {
        let pull = operation(.pull).failure(status: .forbidden, body: body("DENIED", "requested access to the resource is denied"), method: .GET, url: "u")
        #expect(pull.code == .unauthorized)
        #expect(pull.message
            == "pull access denied for 127.0.0.1:5000/bb, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")
        let login = operation(.login).failure(status: .unauthorized, body: nil, method: .GET, url: "u")
        #expect(login.message == "login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized")
        #expect(operation(.push).denied(status: .unauthorized, detail: nil).message.hasPrefix("push access denied for 127.0.0.1:5000/bb"))
    }

    @Test func otherStatuses() {
        let digest = operation(.push, subject: "blob sha256:ab in 127.0.0.1:5000/bb").failure(
            status: .badRequest, body: body("DIGEST_INVALID", "provided digest did not match uploaded content"), method: .PUT, url: "u")
        #expect(digest.code == .invalidDigest)
        #expect(operation(.pull).failure(status: .serviceUnavailable, body: nil, method: .GET, url: "u").code == .unavailable)
        #expect(operation(.pull).failure(status: .tooManyRequests, body: nil, method: .GET, url: "u").code == .unavailable)
        #expect(operation(.pull).failure(status: .payloadTooLarge, body: nil, method: .GET, url: "u").code == .tooLarge)
        #expect(operation(.pull).failure(status: .methodNotAllowed, body: nil, method: .GET, url: "u").code == .protocolError)
    }

    @Test func errorBodiesReadLikeDocker() throws {
        let body = RegistryErrorBody(errors: [.init(code: "NAME_UNKNOWN", message: "repository name not known to registry")])
        #expect(body.summary == "name unknown: repository name not known to registry")
        #expect(body.firstMessage == "repository name not known to registry")
        #expect(RegistryErrorBody(errors: [.init(code: "DENIED", message: nil)]).summary == "denied")
        #expect(RegistryErrorBody(errors: []).summary == nil)
    }
}
