import Foundation
import Messages
import Supervision

/// A stand-in for the `images` child, answering as its `FakeScript` says.
public final class FakeImages: FakeChild, ImagesService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func imageCount() async throws -> Int {
        try await script.reply(otherwise: 0)
    }

    public func diskUsage() async throws -> [ImageUsage] {
        try await script.reply(otherwise: [])
    }

    public func list(_ query: ImageListQuery) async throws -> [ImageUsage] {
        try await script.reply(query, otherwise: [])
    }

    public func inspect(_ name: String) async throws -> ImageDetails {
        try await script.reply(name)
    }

    public func history(_ name: String) async throws -> [ImageHistoryEntry] {
        try await script.reply(name, otherwise: [])
    }

    public func tag(_ name: String, repository: String, tag: String?) async throws {
        try await script.reply(name, repository, tag, otherwise: ())
    }

    public func remove(_ name: String, force: Bool, prune: Bool) async throws -> [ImageDeleteItem] {
        try await script.reply(name, force, prune, otherwise: [])
    }

    public func load(archiveAt path: String, progress: ProgressSink?) async throws -> [String] {
        try await script.reply(path, progress, otherwise: [])
    }

    public func save(_ names: [String], toArchiveAt path: String) async throws {
        try await script.reply(names, path, otherwise: ())
    }

    public func pull(_ name: String, auth: RegistryAuth?, progress: ProgressSink) async throws {
        try await script.reply(name, auth, progress, otherwise: ())
    }

    public func push(_ name: String, tag: String?, auth: RegistryAuth?, progress: ProgressSink) async throws {
        try await script.reply(name, tag, auth, progress, otherwise: ())
    }

    public func distribution(_ name: String, auth: RegistryAuth?) async throws -> DistributionInfo {
        try await script.reply(name, auth)
    }

    public func login(_ auth: RegistryAuth) async throws -> String {
        try await script.reply(auth)
    }

    public func prune(_ filters: [String: [String]]) async throws -> ImagePruneReport {
        try await script.reply(filters)
    }

    public func importRootfs(tarballAt path: String, reference: String?, changes: [String], message: String) async throws -> String {
        try await script.reply(path, reference, changes, message)
    }

    public func containerImage(_ name: String) async throws -> ContainerImage {
        try await script.reply(name)
    }

    public func commit(layerAt path: String, parentID: String, config: ContainerConfig, options: CommitOptions) async throws -> String {
        try await script.reply(path, parentID, config, options)
    }

    public func build(_ request: BuildRequest, contextAt path: String, output: ProgressSink) async throws -> String {
        try await script.reply(request, path, output)
    }

    public func pruneBuildCache(all: Bool, keepStorage: Int64, filters: [String: [String]]) async throws -> BuildCachePruneReport {
        try await script.reply(all, keepStorage, filters)
    }

    public func buildCacheUsage() async throws -> BuildCacheUsage {
        try await script.reply()
    }
}
