import Messages

/// `POST /auth` (`docker login` asks the daemon to check credentials with the registry) and
/// `GET /distribution/{name}/json` (what a registry serves for a name).
enum RegistryRoutes {
    static let all: [Route] = [
        Route(.POST, path: "/auth", handler: login),
        Route(.GET, path: "/distribution/{name*}/json", handler: distribution),
    ]

    static func distribution(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let auth = try RegistryAuthHeader.decode(context.request.headers.first(name: "X-Registry-Auth"))
        let info = try await context.environment.subsystems.images.ask(deadline: .registryQuery) { try await $0.distribution(name, auth: auth) }
        return .json([
            "Descriptor": ["mediaType": .string(info.descriptor.mediaType), "digest": .string(info.descriptor.digest), "size": .int(info.descriptor.size)],
            "Platforms": .array(info.platforms.map { ["os": .string($0.first ?? ""), "architecture": .string($0.last ?? "")] }),
        ])
    }

    static func login(_ context: RequestContext) async throws -> HTTPResponse {
        let auth = try context.request.decodeBody(RegistryAuth.self)
        let status = try await context.environment.subsystems.images.ask(deadline: .registryQuery) { try await $0.login(auth) }
        return .json(["IdentityToken": "", "Status": .string(status)])
    }
}
