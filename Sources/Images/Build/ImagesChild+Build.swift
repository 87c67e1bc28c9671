import Digests
import Foundation
import Messages
import NIOPosix

extension ImagesChild {
    public func build(_ request: BuildRequest, contextAt path: String, output sink: ProgressSink) async throws -> String {
        if !request.platform.isEmpty { try ImageBuilder.checkPlatform(request.platform) }
        let tags = try request.tags.map { try ImageReference(parsing: $0) }
        let work = stagingRoot + "/build-" + EngineID.random().prefix(16)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let dockerfilePath = request.dockerfile
        var tarball = path
        if let remote = request.remote {
            try RemoteFile.checkContextURL(remote)
            sink.yield(ProgressLine(stream: "Downloading build context from remote url: \(remote)\n"))
            tarball = try await RemoteFile.context(remote, into: work, dockerfilePath: dockerfilePath)
        }
        let contextTarball = tarball
        let context = try await NIOThreadPool.singleton.runIfActive {
            try BuildContext.open(contextTarball, in: work, dockerfilePath: dockerfilePath)
        }
        let output = BuildOutput(sink: sink, quiet: request.quiet)
        var builder = try await ImageBuilder(
            images: self, subsystems: subsystems, catalog: catalog, request: request, context: context, output: output, work: work)
        do {
            let image = try await builder.run()
            output.finished(imageID: image.id)
            if let warning = builder.unusedArgsWarning { output.print(warning) }
            output.print("Successfully built \(ImageBuilder.short(image.id))\n")
            for tag in tags {
                if let previous = try await catalog.setReference(tag, to: image.id) { await publish("untag", id: previous) }
                await publish("tag", id: image.id, name: tag.familiar)
                output.print("Successfully tagged \(tag.familiar)\n")
            }
            return image.id
        } catch {
            output.releaseHeld()
            throw error
        }
    }

    public func pruneBuildCache(all: Bool, keepStorage: Int64, filters: [String: [String]]) async throws -> BuildCachePruneReport {
        if let key = Set(filters.keys).subtracting(["until"]).first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        let until = try filters["until"]?.last.map { value in
            guard let nano = UnixTime.parseRFC3339(value) ?? UnixTime.parseSeconds(value) else {
                throw EngineError.invalidArgument("invalid filter 'until=\(value)'")
            }
            return nano
        }
        var report = BuildCachePruneReport(deleted: [], spaceReclaimed: 0)
        var remaining = try await buildCacheUsage().size
        for record in try await catalog.cacheRecords() {
            if remaining <= keepStorage && keepStorage > 0 { break }
            if let until, record.lastUsedNano > until { continue }
            if !all, try await catalog.names(of: record.imageID).contains(where: { !$0.isDigest }) { continue }
            try await catalog.deleteCacheRecord(parentID: record.parentID, key: record.key)
            report.deleted.append(SHA256Digest.hex(Self.recordID(record.parentID, record.key)))
            let reclaimed = try await removeIntermediate(record.imageID).size
            report.spaceReclaimed += reclaimed
            remaining -= reclaimed
        }
        return report
    }

    public func buildCacheUsage() async throws -> BuildCacheUsage {
        let records = try await catalog.cacheRecords()
        var size: Int64 = 0
        for imageID in Set(records.map(\.imageID)) { size += try await ownLayerSize(imageID) }
        return BuildCacheUsage(records: records.count, size: size)
    }

    /// Removes an intermediate image nothing else keeps (untagged, no children, no containers), and
    /// then its parents that are left the same way (Docker's untagged parents); returns what it
    /// deleted and the bytes their own layers took.
    func removeIntermediate(_ imageID: String) async throws -> (items: [ImageDeleteItem], size: Int64) {
        guard let image = try? await catalog.resolve(imageID),
              try await catalog.names(of: image.id).isEmpty,
              try await !catalog.parentIDs().contains(image.id),
              try await containers(using: image.id).isEmpty
        else { return ([], 0) }
        let size = try await ownLayerSize(image.id)
        try await subsystems.containerd.ask { try await $0.deleteImageRecord(named: image.recordName) }
        try await catalog.delete(image.id)
        await publish("delete", id: image.id)
        let parents: (items: [ImageDeleteItem], size: Int64) = image.parentID.isEmpty ? ([], 0) : try await removeIntermediate(image.parentID)
        return ([.deleted(image.id)] + parents.items, size + parents.size)
    }

    /// The bytes of an image's layers that its parent does not have.
    private func ownLayerSize(_ imageID: String) async throws -> Int64 {
        guard let image = try? await catalog.resolve(imageID) else { return 0 }
        let parentSize = image.parentID.isEmpty ? 0 : ((try? await catalog.resolve(image.parentID))?.size ?? 0)
        return max(0, image.size - parentSize)
    }

    static func recordID(_ parentID: String, _ key: String) -> String { SHA256Digest.of(Array((parentID + key).utf8)) }
}
