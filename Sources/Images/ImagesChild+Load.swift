import Digests
import Foundation
import Messages
import NIOPosix

extension ImagesChild {
    /// `docker load`: unpacks the tarball at `path` (on NIO's blocking pool: never on an event loop or
    /// this actor's executor) and stores every image in it.
    public func load(archiveAt path: String, progress: ProgressSink?) async throws -> [String] {
        let root = stagingRoot
        let archive = try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return try StagedArchive(unpacking: path, under: root)
        }
        defer { archive.remove() }
        var lines: [String] = []
        for candidate in try LoadCandidate.find(in: archive) {
            lines += try await store(candidate, staging: archive.directory, event: "load", progress: progress)
        }
        return lines
    }

    /// Puts one image into containerd and the catalog. The catalog is written last: until then a
    /// failure leaves nothing behind but content under a lease that is deleted at once.
    func store(_ candidate: LoadCandidate, staging: String, event: String, progress: ProgressSink? = nil) async throws -> [String] {
        let references = try candidate.names.map { try ImageReference(parsing: $0) }
        let configData = try Data(contentsOf: URL(fileURLWithPath: candidate.configPath))
        let id = SHA256Digest.of(configData)
        let config = try ImageConfig.parse(configData)
        guard config.rootfs.diff_ids.count == candidate.layerPaths.count else {
            throw EngineError.invalidArgument("invalid image archive: \(candidate.layerPaths.count) layers for \(config.rootfs.diff_ids.count) diff IDs")
        }
        let previousImages = try await leased { lease in
            let image = try await importParts(
                of: candidate, id: id, configData: configData, config: config, lease: lease, staging: staging, progress: progress)
            return try await register(image, naming: references)
        }
        var lines: [String] = []
        for (reference, previous) in zip(references, previousImages) {
            if let previous {
                lines.append("The image \(reference.familiar) already exists, renaming the old one with ID \(previous) to empty string")
                await publish("untag", id: previous)
            }
            await publish("tag", id: id, name: reference.familiar)
            lines.append("Loaded image: \(reference.familiar)")
        }
        await publish(event, id: id, name: references.first?.familiar)
        return lines.isEmpty ? ["Loaded image ID: \(id)"] : lines
    }

    /// Runs `body` under a new lease, which protects what it puts into containerd until `body` is done:
    /// what `body` registered is kept by its image record, the rest is collected.
    func leased<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let containerd = subsystems.containerd
        let lease = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(3600)) }
        do {
            try leaseLedger.add(lease)
            let result = try await body(lease)
            await giveBack(lease)
            return result
        } catch {
            // Unstructured on purpose: a cancelled operation (a build whose client went) still gives
            // its lease back, so what it had imported is collected.
            await Task { await self.giveBack(lease) }.value
            throw error
        }
    }

    /// Gives an imported image its containerd image record, then its row in the catalog with `references`
    /// pointed at it (one transaction, written last); returns, per reference, the image it named before
    /// if another. A catalog write that fails (on a full disk) takes back the record it added: the lease's
    /// content is then collected and nothing is left half-registered.
    @discardableResult
    func register(_ image: StoredImage, naming references: [ImageReference] = []) async throws -> [String?] {
        let containerd = subsystems.containerd
        let known = (try? await catalog.resolve(image.id)) != nil
        try await containerd.ask { try await $0.putImageRecord(ImageRecord(name: image.recordName, target: image.manifestDescriptor, labels: [:])) }
        do {
            return try await catalog.save(image, naming: references)
        } catch {
            if !known { try? await containerd.ask { try await $0.deleteImageRecord(named: image.recordName) } }
            throw error
        }
    }

    /// Imports configuration, layers and manifest into the content store and unpacks the layers.
    private func importParts(
        of candidate: LoadCandidate, id: String, configData: Data, config: ImageConfig, lease: String, staging: String,
        progress: ProgressSink?
    ) async throws -> StoredImage {
        let containerd = subsystems.containerd
        var layers: [ContentDescriptor] = []
        for (index, path) in candidate.layerPaths.enumerated() {
            let mediaType = ImageManifest.layerMediaType(ofFileAt: path)
            let expected = mediaType.hasSuffix(".tar") ? config.rootfs.diff_ids[index] : nil
            let shortID = String(SHA256Digest.hex(config.rootfs.diff_ids[index]).prefix(12))
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            progress?.yield(ProgressLine(status: "Loading layer", id: shortID, current: 0, total: size))
            layers.append(try await containerd.ask(deadline: .storage) {
                try await $0.importContent(fromFile: path, mediaType: mediaType, expectedDigest: expected, labels: [:], lease: lease)
            })
            progress?.yield(ProgressLine(status: "Loading layer", id: shortID, current: size ?? 0, total: size))
        }
        return try await importImage(
            id: id, configPath: candidate.configPath, configData: configData, config: config, layers: layers, manifest: candidate.manifest,
            lease: lease, staging: staging)
    }

    /// Imports an image's configuration and manifest over layers already in the content store, and
    /// unpacks the layers (those unpacked before are left as they are).
    func importImage(
        id: String, configPath: String, configData: Data, config: ImageConfig, layers: [ContentDescriptor],
        manifest original: (data: Data, descriptor: ContentDescriptor)?, lease: String, staging: String
    ) async throws -> StoredImage {
        let containerd = subsystems.containerd
        let chainIDs = SHA256Digest.chainIDs(config.rootfs.diff_ids)
        let snapshotter = try await subsystems.graphdriver.ask { try await $0.status() }.driver
        let configLabels = chainIDs.last.map { ["containerd.io/gc.ref.snapshot.\(snapshotter)": $0] } ?? [:]
        let configDescriptor = try await containerd.ask {
            try await $0.importContent(
                fromFile: configPath, mediaType: ImageManifest.dockerConfigMediaType, expectedDigest: id, labels: configLabels, lease: lease)
        }
        let unpacks = layers.indices.map { index in
            LayerUnpack(layer: layers[index], diffID: config.rootfs.diff_ids[index], chainID: chainIDs[index], parentChainID: index > 0 ? chainIDs[index - 1] : nil)
        }
        try await subsystems.graphdriver.ask(deadline: .transfer) { try await $0.unpack(unpacks, lease: lease) }
        let manifest = try original?.data ?? ImageManifest.docker(config: configDescriptor, layers: layers).encoded()
        let parsed = try ImageManifest.parse(manifest)
        let manifestFile = staging + "/manifest-" + SHA256Digest.hex(id)
        try manifest.write(to: URL(fileURLWithPath: manifestFile))
        defer { try? FileManager.default.removeItem(atPath: manifestFile) }
        let manifestDescriptor = try await containerd.ask {
            try await $0.importContent(
                fromFile: manifestFile, mediaType: parsed.mediaType ?? ImageManifest.ociMediaType,
                expectedDigest: original?.descriptor.digest, labels: parsed.gcLabels, lease: lease)
        }
        return StoredImage(
            id: id, parentID: "", createdNano: config.createdNano, size: layers.reduce(0) { $0 + $1.size }, config: configData,
            manifest: manifest, manifestDigest: manifestDescriptor.digest, manifestMediaType: manifestDescriptor.mediaType, lastTagNano: 0)
    }
}

extension StoredImage {
    var manifestDescriptor: ContentDescriptor {
        ContentDescriptor(mediaType: manifestMediaType, digest: manifestDigest, size: Int64(manifest.count))
    }
}
