import Messages
import NIOHTTP1
import Supervision

/// `/networks…`: the `network` child's networks; connect and disconnect go through the `containers`
/// child, which owns what each container is attached to.
enum NetworkRoutes {
    static let all: [Route] = [
        Route(.GET, path: "/networks", handler: list),
        Route(.POST, path: "/networks/create", handler: create),
        Route(.POST, path: "/networks/prune", handler: prune),
        Route(.GET, path: "/networks/{id}", handler: inspect),
        Route(.DELETE, path: "/networks/{id}", handler: remove),
        Route(.POST, path: "/networks/{id}/connect", handler: connect),
        Route(.POST, path: "/networks/{id}/disconnect", handler: disconnect),
    ]

    static func list(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let found = try await network(context).ask { try await $0.networks(filters: filters) }
        return try .json(encoding: found)
    }

    static func create(_ context: RequestContext) async throws -> HTTPResponse {
        let request = try context.request.decodeBody(NetworkCreateRequest.self)
        let id = try await network(context).ask(deadline: .networkChange) { try await $0.createNetwork(request) }
        return .json(["Id": .string(id), "Warning": ""], status: .created)
    }

    static func inspect(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let scope = context.request.query("scope") ?? ""
        guard scope.isEmpty || scope == "local" else { throw EngineErrorResponse(status: .notFound, message: "network \(id) not found") }
        return try .json(encoding: try await network(context).ask { try await $0.network(id) })
    }

    static func remove(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        try await network(context).ask(deadline: .networkChange) { try await $0.removeNetwork(id) }
        return .empty(.noContent)
    }

    static func prune(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let removed = try await network(context).ask(deadline: .prune) { try await $0.pruneNetworks(filters: filters) }
        return .json(["NetworksDeleted": .from(removed)])
    }

    private struct ConnectBody: Decodable {
        var Container: String
        var EndpointConfig: EndpointSettings?
        var Force: Bool?
    }

    static func connect(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let body = try context.request.decodeBody(ConnectBody.self)
        try await containers(context).ask(deadline: .containerSetup) {
            try await $0.connect(body.Container, network: id, settings: body.EndpointConfig ?? EndpointSettings())
        }
        return .empty(.ok)
    }

    static func disconnect(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let body = try context.request.decodeBody(ConnectBody.self)
        try await containers(context).ask(deadline: .containerSetup) { try await $0.disconnect(body.Container, network: id, force: body.Force ?? false) }
        return .empty(.ok)
    }

    private static func network(_ context: RequestContext) -> ChildRef<any NetworkService> { context.environment.subsystems.network }
    private static func containers(_ context: RequestContext) -> ChildRef<any ContainersService> { context.environment.subsystems.containers }
}
