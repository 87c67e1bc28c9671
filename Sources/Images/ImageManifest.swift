import Digests
import Foundation
import Messages

/// The OCI / Docker schema 2 manifest of one image, and the index that lists manifests.
struct ImageManifest: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var config: ContentDescriptor
    var layers: [ContentDescriptor]

    static let dockerMediaType = "application/vnd.docker.distribution.manifest.v2+json"
    static let ociMediaType = "application/vnd.oci.image.manifest.v1+json"
    static let dockerConfigMediaType = "application/vnd.docker.container.image.v1+json"
    static let dockerLayerMediaType = "application/vnd.docker.image.rootfs.diff.tar"

    /// The manifest berthd writes for an image that came without one (docker-archive, import).
    static func docker(config: ContentDescriptor, layers: [ContentDescriptor]) -> ImageManifest {
        ImageManifest(schemaVersion: 2, mediaType: dockerMediaType, config: config, layers: layers)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    static func parse(_ data: Data) throws(EngineError) -> ImageManifest {
        guard let manifest = try? JSONDecoder().decode(ImageManifest.self, from: data) else {
            throw .invalidArgument("invalid image manifest")
        }
        for digest in [manifest.config.digest] + manifest.layers.map(\.digest) where !SHA256Digest.isValid(digest) {
            throw .invalidArgument("invalid digest \(digest) in the image manifest")
        }
        return manifest
    }

    /// The labels that make containerd's garbage collector keep the config and layers while the
    /// manifest is referenced.
    var gcLabels: [String: String] {
        var labels = ["containerd.io/gc.ref.content.config": config.digest]
        for (index, layer) in layers.enumerated() { labels["containerd.io/gc.ref.content.l.\(index)"] = layer.digest }
        return labels
    }

    /// The media type of a layer file, from its first bytes.
    static func layerMediaType(ofFileAt path: String) -> String {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4)) ?? nil
        switch head.map(Array.init) {
        case let bytes? where bytes.starts(with: [0x1f, 0x8b]): return "application/vnd.docker.image.rootfs.diff.tar.gzip"
        case let bytes? where bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd]): return "application/vnd.oci.image.layer.v1.tar+zstd"
        default: return dockerLayerMediaType
        }
    }
}

/// An OCI image index (`index.json` of an OCI layout, or a multi-platform manifest list).
struct ImageIndex: Codable, Sendable {
    struct Entry: Codable, Sendable {
        var mediaType: String
        var digest: String
        var size: Int64
        var annotations: [String: String]?
        var platform: Platform?
    }

    struct Platform: Codable, Sendable {
        var architecture: String
        var os: String
    }

    var schemaVersion: Int
    var mediaType: String?
    var manifests: [Entry]

    static let mediaTypes: Set = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]
}
