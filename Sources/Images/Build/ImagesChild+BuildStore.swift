import Digests
import Foundation
import Messages

extension ImagesChild {
    /// Stores the image a build step made: `parent`'s layers (already in the content store) and, when
    /// the step made one, the layer tar at `layerPath` or a layer the content store has already
    /// (`existingLayer`, a `--cache-from` image's), under the configuration `configData`. An image with
    /// the same configuration that is already stored is returned as it is.
    func storeBuildStep(
        parent: StoredImage?, configData: Data, layerPath: String? = nil, existingLayer: ContentDescriptor? = nil
    ) async throws -> StoredImage {
        let id = SHA256Digest.of(configData)
        if let existing = try? await catalog.resolve(id) { return existing }
        let config = try ImageConfig.parse(configData)
        let parentLayers = try parent.map { try ImageManifest.parse($0.manifest).layers } ?? []
        let work = stagingRoot + "/step-" + SHA256Digest.hex(id)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        let configPath = work + "/config.json"
        try configData.write(to: URL(fileURLWithPath: configPath))
        return try await leased { lease in
            var layers = parentLayers
            if let existingLayer { layers.append(existingLayer) }
            if let layerPath, let diffID = config.rootfs.diff_ids.last {
                layers.append(try await subsystems.containerd.ask(deadline: .storage) {
                    try await $0.importContent(
                        fromFile: layerPath, mediaType: ImageManifest.dockerLayerMediaType, expectedDigest: diffID, labels: [:], lease: lease)
                })
            }
            var image = try await importImage(
                id: id, configPath: configPath, configData: configData, config: config, layers: layers, manifest: nil, lease: lease, staging: work)
            image.parentID = parent?.id ?? ""
            try await register(image)
            return image
        }
    }
}
