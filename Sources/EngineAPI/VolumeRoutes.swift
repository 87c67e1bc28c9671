import Messages
import NIOHTTP1
import Supervision

/// `/volumes…`: the `volumes` child's volumes.
enum VolumeRoutes {
    static let all: [Route] = [
        Route(.GET, path: "/volumes", handler: list),
        Route(.POST, path: "/volumes/create", handler: create),
        Route(.POST, path: "/volumes/prune", handler: prune),
        Route(.GET, path: "/volumes/{name}", handler: inspect),
        Route(.PUT, path: "/volumes/{name}", handler: updateClusterVolume),
        Route(.DELETE, path: "/volumes/{name}", handler: remove),
    ]

    static func list(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let found = try await volumes(context).ask { try await $0.volumes(filters: filters) }
        return .json(["Volumes": .encoding(found), "Warnings": []])
    }

    static func create(_ context: RequestContext) async throws -> HTTPResponse {
        let request = try context.request.decodeBody(VolumeCreateRequest.self)
        let volume = try await volumes(context).ask(deadline: .volumeChange) { try await $0.createVolume(request) }
        return try .json(encoding: volume, status: .created)
    }

    static func inspect(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        return try .json(encoding: try await volumes(context).ask { try await $0.volume(name) })
    }

    static func updateClusterVolume(_ context: RequestContext) async throws -> HTTPResponse {
        throw EngineErrorResponse(status: .serviceUnavailable, message: "cluster volumes are not supported: berthd is not a swarm node, so only local volumes exist")
    }

    static func remove(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let force = context.request.flag("force")
        try await volumes(context).ask(deadline: .volumeChange) { try await $0.removeVolume(name, force: force) }
        return .empty(.noContent)
    }

    /// Before API 1.42 prune removed named volumes too; since then only anonymous ones unless `all`.
    static func prune(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let all = context.version < APIVersion(major: 1, minor: 42)
        let report = try await volumes(context).ask(deadline: .prune) { try await $0.pruneVolumes(filters: filters, all: all) }
        return .json(["VolumesDeleted": .from(report.removed), "SpaceReclaimed": .int(report.spaceReclaimed)])
    }

    private static func volumes(_ context: RequestContext) -> ChildRef<any VolumesService> { context.environment.subsystems.volumes }
}
