import Foundation
import Messages
import NIOCore
import NIOHTTP1
import Supervision

/// The container endpoints that forward to the `containers` child.
enum ContainerRoutes {
    static let all: [Route] = [
        Route(.POST, path: "/containers/create", handler: create),
        Route(.GET, path: "/containers/json", handler: list),
        Route(.POST, path: "/containers/prune", handler: prune),
        Route(.GET, path: "/containers/{id}/json", handler: inspect),
        Route(.POST, path: "/containers/{id}/start", handler: start),
        Route(.POST, path: "/containers/{id}/stop", handler: stop),
        Route(.POST, path: "/containers/{id}/restart", handler: restart),
        Route(.POST, path: "/containers/{id}/kill", handler: kill),
        Route(.POST, path: "/containers/{id}/pause", handler: pause),
        Route(.POST, path: "/containers/{id}/unpause", handler: unpause),
        Route(.POST, path: "/containers/{id}/wait", handler: wait),
        Route(.POST, path: "/containers/{id}/rename", handler: rename),
        Route(.POST, path: "/containers/{id}/resize", handler: resize),
        Route(.POST, path: "/containers/{id}/update", handler: update),
        Route(.GET, path: "/containers/{id}/top", handler: top),
        Route(.DELETE, path: "/containers/{id}", handler: remove),
    ] + StreamRoutes.all + FilesystemRoutes.all + StatsRoutes.all + CommitRoutes.all

    /// Docker's create body: the `Config` members at the top level, beside `HostConfig` and
    /// `NetworkingConfig`.
    struct CreateBody: Decodable {
        var HostConfig: Messages.HostConfig?
        var NetworkingConfig: Messages.NetworkingConfig?
    }

    static func create(_ context: RequestContext) async throws -> HTTPResponse {
        let config = try context.request.decodeBody(ContainerConfig.self)
        let body = try context.request.decodeBody(CreateBody.self)
        let name = context.request.query("name").flatMap { $0.isEmpty ? nil : $0 }
        let request = ContainerCreateRequest(name: name, config: config, hostConfig: body.HostConfig ?? HostConfig(), networkingConfig: body.NetworkingConfig)
        let created = try await containers(context).ask(deadline: .storage) { try await $0.create(request) }
        return .json(["Id": .string(created.id), "Warnings": .from(created.warnings)], status: .created)
    }

    static func list(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let all = context.request.flag("all")
        var records = try await containers(context).ask { try await $0.list(all: all, filters: filters) }
        if let limit = context.request.query("limit").flatMap(Int.init), limit > 0 { records = Array(records.prefix(limit)) }
        let now = UnixTime.nowNano
        var summaries: [JSONValue] = []
        for record in records {
            var summary = ContainerDocuments.summary(record, now: now)
            if context.request.flag("size"), case .object(var members) = summary {
                let size = (try? await containers(context).ask { try await $0.layerSize(record.id) }) ?? 0
                members.append(("SizeRw", .int(size)))
                summary = .object(members)
            }
            summaries.append(summary)
        }
        return .json(.array(summaries))
    }

    static func inspect(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        return .json(ContainerDocuments.inspect(try await containers(context).ask { try await $0.inspect(id) }))
    }

    static func start(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let keys = context.request.query("detachKeys")
        try await containers(context).ask(deadline: .containerLifecycle) { try await $0.start(id, detachKeys: keys) }
        return .empty(.noContent)
    }

    static func stop(_ context: RequestContext) async throws -> HTTPResponse {
        let (id, signal, timeout) = try stopArguments(context)
        try await containers(context).ask(deadline: .containerStop(timeout)) { try await $0.stop(id, signal: signal, timeout: timeout) }
        return .empty(.noContent)
    }

    static func restart(_ context: RequestContext) async throws -> HTTPResponse {
        let (id, signal, timeout) = try stopArguments(context)
        try await containers(context).ask(deadline: .containerRestart(timeout)) { try await $0.restart(id, signal: signal, timeout: timeout) }
        return .empty(.noContent)
    }

    static func kill(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let signal = context.request.query("signal").flatMap { $0.isEmpty ? nil : $0 }
        try await containers(context).ask { try await $0.kill(id, signal: signal) }
        return .empty(.noContent)
    }

    static func pause(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        try await containers(context).ask { try await $0.pause(id) }
        return .empty(.noContent)
    }

    static func unpause(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        try await containers(context).ask { try await $0.unpause(id) }
        return .empty(.noContent)
    }

    /// Registers the wait, flushes the headers at once (`docker run` sends its start only then), and
    /// writes `{"StatusCode":…,"Error":…}` when the condition is met.
    static func wait(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let text = context.request.query("condition").flatMap { $0.isEmpty ? nil : $0 } ?? "not-running"
        guard let condition = WaitCondition(rawValue: text) else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid condition: \"\(text)\"")
        }
        let pending = try await containers(context).ask { try await $0.wait(id, condition: condition) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            let result = await pending.result()
            let error: JSONValue = result.error.map { ["Message": .string($0)] } ?? nil
            var body = JSONValue.object([("Error", error), ("StatusCode", .from(result.statusCode))]).encoded()
            body.append(0x0a)
            try await writer.write(ByteBuffer(bytes: body))
        })
    }

    static func rename(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        guard let name = context.request.query("name"), !name.isEmpty else {
            throw EngineErrorResponse(status: .badRequest, message: "name is required")
        }
        try await containers(context).ask { try await $0.rename(id, to: name) }
        return .empty(.noContent)
    }

    static func resize(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let (width, height) = try size(context)
        try await containers(context).ask { try await $0.resize(id, width: width, height: height) }
        return .empty(.ok)
    }

    private struct UpdateBody: Decodable {
        var RestartPolicy: Messages.RestartPolicy?
    }

    static func update(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let resources = try context.request.decodeBody(Resources.self)
        let policy = try context.request.decodeBody(UpdateBody.self).RestartPolicy
        let warnings = try await containers(context).ask { try await $0.update(id, resources: resources, restartPolicy: policy) }
        return .json(["Warnings": .from(warnings)])
    }

    static func top(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let arguments = context.request.query("ps_args")
        let table = try await containers(context).ask { try await $0.top(id, psArguments: arguments) }
        return .json(["Titles": .from(table.titles), "Processes": .array(table.processes.map { .from($0) })])
    }

    static func remove(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let (force, volumes) = (context.request.flag("force"), context.request.flag("v"))
        try await containers(context).ask(deadline: .containerLifecycle) { try await $0.remove(id, force: force, volumes: volumes) }
        return .empty(.noContent)
    }

    static func prune(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let removed = try await containers(context).ask(deadline: .prune) { try await $0.prune(filters) }
        return .json(["ContainersDeleted": removed.isEmpty ? nil : .from(removed), "SpaceReclaimed": 0])
    }

    static func containers(_ context: RequestContext) -> ChildRef<any ContainersService> { context.environment.subsystems.containers }

    /// `h` and `w` of a resize request.
    static func size(_ context: RequestContext) throws -> (Int, Int) {
        guard let height = context.request.query("h").flatMap(Int.init), let width = context.request.query("w").flatMap(Int.init), height >= 0, width >= 0 else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid height or width")
        }
        return (width, height)
    }

    private static func stopArguments(_ context: RequestContext) throws -> (String, String?, Int?) {
        let id = context.parameters["id"] ?? ""
        let signal = context.request.query("signal").flatMap { $0.isEmpty ? nil : $0 }
        return (id, signal, try stopTimeout(context.request))
    }

    /// A stop's or restart's `t`: seconds, any `Int` (negative waits forever); absent or empty is the
    /// container's own timeout; anything else, a number beyond `Int` included, is a 400.
    static func stopTimeout(_ request: HTTPRequest) throws -> Int? {
        guard let text = request.query("t"), !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw EngineErrorResponse(status: .badRequest, message: "invalid value for t: \(text)") }
        return value
    }
}
