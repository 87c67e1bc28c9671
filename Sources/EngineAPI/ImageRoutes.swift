import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// The image endpoints that forward to the `images` child.
enum ImageRoutes {
    static let all: [Route] = [
        Route(.GET, path: "/images/json", handler: list),
        Route(.POST, path: "/images/load", handler: load),
        Route(.POST, path: "/images/create", handler: create),
        Route(.POST, path: "/images/prune", handler: prune),
        Route(.GET, path: "/images/get", handler: save),
        Route(.GET, path: "/images/{name*}/get", handler: save),
        Route(.GET, path: "/images/{name*}/json", handler: inspect),
        Route(.GET, path: "/images/{name*}/history", handler: history),
        Route(.POST, path: "/images/{name*}/tag", handler: tag),
        Route(.POST, path: "/images/{name*}/push", handler: push),
        Route(.DELETE, path: "/images/{name*}", handler: remove),
    ]

    static func list(_ context: RequestContext) async throws -> HTTPResponse {
        let request = context.request
        let query = ImageListQuery(all: request.flag("all"), filters: try FilterArguments.parse(request.query("filters")))
        let images = try await context.environment.subsystems.images.ask { try await $0.list(query) }
        return .json(.array(images.map { ImageDocuments.summary($0, version: context.version) }))
    }

    static func inspect(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let details = try await context.environment.subsystems.images.ask { try await $0.inspect(name) }
        return .json(ImageDocuments.inspect(details, version: context.version))
    }

    static func history(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let entries = try await context.environment.subsystems.images.ask { try await $0.history(name) }
        return .json(.array(entries.map(ImageDocuments.history)))
    }

    static func tag(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        guard let repository = context.request.query("repo"), !repository.isEmpty else {
            throw EngineErrorResponse(status: .badRequest, message: "repository name (repo) is required")
        }
        let tag = context.request.query("tag")
        try await context.environment.subsystems.images.ask { try await $0.tag(name, repository: repository, tag: tag) }
        return .empty(.created)
    }

    static func push(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let tag = context.request.query("tag").flatMap { $0.isEmpty ? nil : $0 }
        let auth = try RegistryAuthHeader.decode(context.request.headers.first(name: "X-Registry-Auth"))
        let images = context.environment.subsystems.images
        return try await ProgressResponse.run { progress in
            try await images.ask(deadline: .bulkTransfer) { try await $0.push(name, tag: tag, auth: auth, progress: progress) }
        }
    }

    static func remove(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameters["name"] ?? ""
        let (force, prune) = (context.request.flag("force"), !context.request.flag("noprune"))
        let items = try await context.environment.subsystems.images.ask { try await $0.remove(name, force: force, prune: prune) }
        return .json(.array(items.map(ImageDocuments.deleteItem)))
    }

    static func prune(_ context: RequestContext) async throws -> HTTPResponse {
        let filters = try FilterArguments.parse(context.request.query("filters"))
        let report = try await context.environment.subsystems.images.ask(deadline: .prune) { try await $0.prune(filters) }
        return .json([
            "ImagesDeleted": report.deleted.isEmpty ? nil : .array(report.deleted.map(ImageDocuments.deleteItem)),
            "SpaceReclaimed": .int(report.spaceReclaimed),
        ])
    }

    /// `POST /images/load`: stages the body in a file and answers with the lines `docker load` prints,
    /// after a progress line per layer unless `quiet`.
    static func load(_ context: RequestContext) async throws -> HTTPResponse {
        let body = try await StagingFile(holding: context.request, context.environment, prefix: "upload")
        let images = context.environment.subsystems.images
        guard !context.request.flag("quiet") else {
            defer { body.remove() }
            let lines = try await images.ask(deadline: .transfer) { try await $0.load(archiveAt: body.path, progress: nil) }
            return ProgressResponse.jsonLines(lines.map { ["stream": .string($0 + "\n")] })
        }
        return try await ProgressResponse.run { progress in
            defer { body.remove() }
            let lines = try await images.ask(deadline: .transfer) { try await $0.load(archiveAt: body.path, progress: progress) }
            for line in lines { progress.yield(ProgressLine(stream: line + "\n")) }
        }
    }

    /// `POST /images/create`: `docker import` (`fromSrc=-`, the tarball is the body). Pulling
    /// (`fromImage`) arrives with the registry client.
    static func create(_ context: RequestContext) async throws -> HTTPResponse {
        let request = context.request
        guard let source = request.query("fromSrc") else {
            guard let image = request.query("fromImage"), !image.isEmpty else {
                throw EngineErrorResponse(status: .badRequest, message: "fromImage or fromSrc is required")
            }
            let tag = request.query("tag").flatMap { $0.isEmpty ? nil : $0 }
            let name = image + (tag.map { $0.hasPrefix("sha256:") ? "@" + $0 : ":" + $0 } ?? "")
            let auth = try RegistryAuthHeader.decode(request.headers.first(name: "X-Registry-Auth"))
            let images = context.environment.subsystems.images
            return try await ProgressResponse.run { progress in
                try await images.ask(deadline: .bulkTransfer) { try await $0.pull(name, auth: auth, progress: progress) }
            }
        }
        guard source == "-" else {
            throw EngineErrorResponse(status: .badRequest, message: "importing from \(source) is not supported: send the tarball as the request body")
        }
        let repository = request.query("repo").flatMap { $0.isEmpty ? nil : $0 }
        let tag = request.query("tag").flatMap { $0.isEmpty ? nil : $0 }
        let reference = repository.map { repository in tag.map { repository + ":" + $0 } ?? repository }
        let changes = request.query["changes"] ?? []
        let message = request.query("message") ?? ""
        let body = try await StagingFile(holding: request, context.environment, prefix: "import")
        defer { body.remove() }
        let id = try await context.environment.subsystems.images.ask(deadline: .transfer) {
            try await $0.importRootfs(tarballAt: body.path, reference: reference, changes: changes, message: message)
        }
        return ProgressResponse.jsonLines([["status": .string(id)]])
    }

    /// `GET /images/get` and `/images/{name}/get`: a tarball of the named images.
    static func save(_ context: RequestContext) async throws -> HTTPResponse {
        let names = context.parameters["name"].map { [$0] } ?? context.request.query["names"] ?? []
        guard !names.isEmpty else { throw EngineErrorResponse(status: .badRequest, message: "no image names given") }
        let images = context.environment.subsystems.images
        if context.request.method == .HEAD {
            // The body would never be sent: check the names, stage nothing.
            for name in names { _ = try await images.ask { try await $0.inspect(name) } }
            return FilesystemRoutes.tarHead()
        }
        let staging = try await StagingFile(context.environment, prefix: "save")
        do {
            try await images.ask(deadline: .transfer) { try await $0.save(names, toArchiveAt: staging.path) }
        } catch {
            staging.remove()
            throw error
        }
        return FilesystemRoutes.tarResponse(staging, headers: [:])
    }
}
