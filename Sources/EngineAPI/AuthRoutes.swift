import Messages

/// `POST /auth`: `docker login` asks the daemon to check credentials with the registry.
enum AuthRoutes {
    static let all: [Route] = [Route(.POST, path: "/auth", handler: login)]

    static func login(_ context: RequestContext) async throws -> HTTPResponse {
        let auth = try context.request.decodeBody(RegistryAuth.self)
        let status = try await context.environment.subsystems.images.ask(timeout: .seconds(60)) { try await $0.login(auth) }
        return .json(["IdentityToken": "", "Status": .string(status)])
    }
}
