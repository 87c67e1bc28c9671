import Foundation
import Messages
import NIOCore
import NIOHTTP1

/// `/_ping`, `/version`, `/info` and `/system/df`.
enum SystemRoutes {
    static let all: [Route] = [
        Route(.GET, .HEAD, path: "/_ping", handler: ping),
        Route(.GET, path: "/version", handler: version),
        Route(.GET, path: "/info", handler: info),
        Route(.GET, path: "/system/df", handler: diskUsage),
    ] + EventRoutes.all

    static func ping(_ context: RequestContext) async throws -> HTTPResponse {
        pingResponse()
    }

    /// The answer to `/_ping`, which ``EngineRouter/immediateResponse(to:)`` also gives.
    static func pingResponse() -> HTTPResponse {
        var response = HTTPResponse.text("OK")
        response.headers.add(name: "Builder-Version", value: "1")
        response.headers.add(name: "Swarm", value: "inactive")
        response.headers.add(name: "Cache-Control", value: "no-cache, no-store, must-revalidate")
        response.headers.add(name: "Pragma", value: "no-cache")
        return response
    }

    static func version(_ context: RequestContext) async throws -> HTTPResponse {
        let facts = context.environment.facts
        let runtime = try? await context.environment.subsystems.containerd.ask { try await $0.runtimeVersions() }
        return .json(VersionDocument.make(facts: facts, runtime: runtime))
    }

    static func info(_ context: RequestContext) async throws -> HTTPResponse {
        let environment = context.environment
        let subsystems = environment.subsystems
        // One after the other: each answer takes microseconds, less than a child task to overlap them.
        let parts = InfoDocument.Parts(
            containers: try await subsystems.containers.ask { try await $0.counts() },
            images: try await subsystems.images.ask { try await $0.imageCount() },
            driver: try await subsystems.graphdriver.ask { try await $0.status() },
            plugins: try await subsystems.plugins.ask { try await $0.inventory() },
            network: try await subsystems.network.ask { try await $0.overview() },
            runtime: try await subsystems.containerd.ask { try await $0.runtimeVersions() },
            config: environment.config.current, listeners: await environment.events.subscriberCount())
        return .json(InfoDocument.make(facts: environment.facts, parts: parts))
    }

    static func diskUsage(_ context: RequestContext) async throws -> HTTPResponse {
        let known: Set = ["container", "image", "volume", "build-cache"]
        let types = Set(context.request.query["type"] ?? [])
        if let unknown = types.subtracting(known).first {
            throw EngineErrorResponse(status: .badRequest, message: "invalid type: \(unknown)")
        }
        func wanted(_ type: String) -> Bool { types.isEmpty || types.contains(type) }
        let subsystems = context.environment.subsystems
        let images = wanted("image") ? try await subsystems.images.ask { try await $0.diskUsage() } : nil
        let layers = wanted("image") ? try await subsystems.graphdriver.ask { try await $0.layersSize() } : 0
        let containers = wanted("container") ? try await subsystems.containers.ask { try await $0.diskUsage() } : nil
        let volumes = wanted("volume") ? try await subsystems.volumes.ask { try await $0.diskUsage() } : nil
        let buildCache = wanted("build-cache") ? try await subsystems.images.ask { try await $0.buildCacheUsage() } : nil
        return .json(DiskUsageDocument.make(layersSize: layers, images: images, containers: containers, volumes: volumes, buildCache: buildCache))
    }
}
