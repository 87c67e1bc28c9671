import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// The endpoints on a container's files: `docker cp` (archive), `docker diff` and `docker export`.
enum FilesystemRoutes {
    static let all: [Route] = [
        Route(.HEAD, path: "/containers/{id}/archive", handler: stat),
        Route(.GET, path: "/containers/{id}/archive", handler: archive),
        Route(.PUT, path: "/containers/{id}/archive", handler: extract),
        Route(.GET, path: "/containers/{id}/changes", handler: changes),
        Route(.GET, path: "/containers/{id}/export", handler: export),
    ]

    static let statHeader = "X-Docker-Container-Path-Stat"

    static func stat(_ context: RequestContext) async throws -> HTTPResponse {
        let (id, path) = try target(context)
        let header = try await ContainerRoutes.containers(context).ask { try await $0.statPath(id, path: path) }
        var response = HTTPResponse.empty(.ok)
        response.headers.add(name: statHeader, value: header)
        response.headers.add(name: "Content-Type", value: "application/x-tar")
        return response
    }

    static func archive(_ context: RequestContext) async throws -> HTTPResponse {
        let (id, path) = try target(context)
        let staging = try await StagingFile(context.environment, prefix: "archive")
        let header: String
        do {
            header = try await ContainerRoutes.containers(context).ask(deadline: .transfer) {
                try await $0.archivePath(id, path: path, toFile: staging.path)
            }
        } catch {
            staging.remove()
            throw error
        }
        return tarResponse(staging, headers: [statHeader: header])
    }

    static func extract(_ context: RequestContext) async throws -> HTTPResponse {
        let (id, path) = try target(context)
        let noOverwrite = context.request.flag("noOverwriteDirNonDir")
        let body = try await StagingFile(holding: context.request, context.environment, prefix: "extract")
        defer { body.remove() }
        try await ContainerRoutes.containers(context).ask(deadline: .transfer) {
            try await $0.extractArchive(id, path: path, fromFile: body.path, noOverwriteDirNonDir: noOverwrite)
        }
        return .empty(.ok)
    }

    static func changes(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let changes = try await ContainerRoutes.containers(context).ask(deadline: .storage) { try await $0.changes(id) }
        return changes.isEmpty ? .json(nil) : try .json(encoding: changes)
    }

    /// `GET /containers/{id}/export`; a `HEAD` only checks the container and stages nothing (its body
    /// would never be sent).
    static func export(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        if context.request.method == .HEAD {
            _ = try await ContainerRoutes.containers(context).ask { try await $0.inspect(id) }
            return tarHead()
        }
        let staging = try await StagingFile(context.environment, prefix: "export")
        do {
            try await ContainerRoutes.containers(context).ask(deadline: .bulkTransfer) { try await $0.export(id, toFile: staging.path) }
        } catch {
            staging.remove()
            throw error
        }
        return tarResponse(staging, headers: [:])
    }

    private static func target(_ context: RequestContext) throws -> (String, String) {
        guard let path = context.request.query("path"), !path.isEmpty else {
            throw EngineErrorResponse(status: .badRequest, message: "path is required")
        }
        return (context.parameters["id"] ?? "", path)
    }

    /// The answer to a `HEAD` of a tar download: the headers of the `GET` without its body.
    static func tarHead() -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": "application/x-tar"])
    }

    /// A staged tar file as the response body; the file goes once it is sent.
    static func tarResponse(_ staging: StagingFile, headers extra: [String: String]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-tar")
        for (name, value) in extra { headers.add(name: name, value: value) }
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            defer { staging.remove() }
            try await staging.stream(to: writer)
        })
    }
}
