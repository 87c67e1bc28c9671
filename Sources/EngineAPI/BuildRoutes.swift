import Foundation
import Messages
import NIOHTTP1
import Synchronization

/// `POST /build` (the legacy builder: the images child builds, this front decodes the query, stages
/// the context and streams the output), `/build/prune` and `/build/cancel`. BuildKit's `/session`
/// stays unimplemented.
enum BuildRoutes {
    static let all: [Route] = [
        Route(.POST, path: "/build", handler: build),
        Route(.POST, path: "/build/prune", handler: prune),
        Route(.POST, path: "/build/cancel", handler: cancel),
    ]

    static func build(_ context: RequestContext) async throws -> HTTPResponse {
        let request = try BuildQuery.decode(context.request)
        if context.request.flag("squash") {
            throw EngineErrorResponse(status: .badRequest, message: "squash is only supported with experimental mode")
        }
        let body = try await StagingFile(holding: context.request, context.environment, prefix: "build-context")
        let images = context.environment.subsystems.images
        return try await ProgressResponse.run(registering: request.buildID.map { ($0, running) }) { output in
            defer { body.remove() }
            _ = try await images.ask(deadline: .build) { try await $0.build(request, contextAt: body.path, output: output) }
        }
    }

    static func prune(_ context: RequestContext) async throws -> HTTPResponse {
        let request = context.request
        let keep: Int64 = try request.query("keep-storage").map { text -> Int64 in
            guard let bytes = Int64(text), bytes >= 0 else {
                throw EngineErrorResponse(status: .badRequest, message: "invalid keep-storage value \(text)")
            }
            return bytes
        } ?? 0
        let filters = try FilterArguments.parse(request.query("filters"))
        let all = request.flag("all")
        let report = try await context.environment.subsystems.images.ask(deadline: .prune) {
            try await $0.pruneBuildCache(all: all, keepStorage: keep, filters: filters)
        }
        return .json([
            "CachesDeleted": report.deleted.isEmpty ? .null : .array(report.deleted.map(JSONValue.string)),
            "SpaceReclaimed": .int(report.spaceReclaimed),
        ])
    }

    /// `POST /build/cancel?id=`: stops the build whose client gave that `buildid`.
    static func cancel(_ context: RequestContext) async throws -> HTTPResponse {
        guard let id = context.request.query("id"), !id.isEmpty else {
            throw EngineErrorResponse(status: .badRequest, message: "build ID not provided")
        }
        running.cancel(id)
        return .empty(.ok)
    }

    /// The builds running with a `buildid`, for `/build/cancel`.
    static let running = RunningOperations()
}

/// Operations that can be cancelled by name, while they run.
final class RunningOperations: Sendable {
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    func add(_ id: String, _ task: Task<Void, Never>) { tasks.withLock { $0[id] = task } }
    func remove(_ id: String) { _ = tasks.withLock { $0.removeValue(forKey: id) } }
    func cancel(_ id: String) { tasks.withLock { $0[id] }?.cancel() }
}
