import Digests
import Foundation
import Messages

/// One image found in a staged tarball: where its configuration and layers are, and its names.
struct LoadCandidate {
    var configPath: String
    var layerPaths: [String]
    /// The original manifest of an OCI layout, kept so the image keeps its manifest digest.
    var manifest: (data: Data, descriptor: ContentDescriptor)?
    var names: [String]

    /// The images of a docker-archive (`manifest.json`) or, failing that, of an OCI layout (`index.json`).
    static func find(in archive: StagedArchive) throws -> [LoadCandidate] {
        if archive.exists("manifest.json") { return try docker(archive) }
        if archive.exists("index.json") { return try oci(archive) }
        throw EngineError.invalidArgument("invalid image archive: it has neither manifest.json nor index.json")
    }

    private struct DockerEntry: Decodable {
        var Config: String
        var RepoTags: [String]?
        var Layers: [String]
    }

    private static func docker(_ archive: StagedArchive) throws -> [LoadCandidate] {
        guard let entries = try? JSONDecoder().decode([DockerEntry].self, from: archive.read("manifest.json")) else {
            throw EngineError.invalidArgument("invalid image archive: manifest.json is not a docker-archive manifest")
        }
        return try entries.map { entry in
            LoadCandidate(
                configPath: try archive.file(entry.Config), layerPaths: try entry.Layers.map { try archive.file($0) },
                manifest: nil, names: entry.RepoTags ?? [])
        }
    }

    private static func oci(_ archive: StagedArchive) throws -> [LoadCandidate] {
        guard let index = try? JSONDecoder().decode(ImageIndex.self, from: archive.read("index.json")) else {
            throw EngineError.invalidArgument("invalid image archive: index.json is not an OCI index")
        }
        var candidates: [LoadCandidate] = []
        for entry in index.manifests {
            let name = entry.annotations?["io.containerd.image.name"]
            let descriptor = try manifestDescriptor(for: entry, in: archive)
            let data = try blob(descriptor.digest, in: archive)
            guard SHA256Digest.of(data) == descriptor.digest else {
                throw EngineError.invalidArgument("invalid image archive: the manifest does not match its digest \(descriptor.digest)")
            }
            let manifest = try ImageManifest.parse(data)
            candidates.append(LoadCandidate(
                configPath: try archive.file(blobPath(manifest.config.digest)),
                layerPaths: try manifest.layers.map { try archive.file(blobPath($0.digest)) },
                manifest: (data, descriptor), names: name.map { [$0] } ?? []))
        }
        return candidates
    }

    /// The manifest an index entry leads to: itself, or the linux/amd64 one of a nested index.
    private static func manifestDescriptor(for entry: ImageIndex.Entry, in archive: StagedArchive) throws -> ContentDescriptor {
        guard ImageIndex.mediaTypes.contains(entry.mediaType) else {
            return ContentDescriptor(mediaType: entry.mediaType, digest: entry.digest, size: entry.size)
        }
        guard let nested = try? JSONDecoder().decode(ImageIndex.self, from: blob(entry.digest, in: archive)),
              let chosen = nested.manifests.first(where: { $0.platform.map { $0.os == "linux" && $0.architecture == "amd64" } ?? true })
        else { throw EngineError.invalidArgument("invalid image archive: no linux/amd64 image in \(entry.digest)") }
        return ContentDescriptor(mediaType: chosen.mediaType, digest: chosen.digest, size: chosen.size)
    }

    private static func blob(_ digest: String, in archive: StagedArchive) throws -> Data {
        guard SHA256Digest.isValid(digest) else { throw EngineError.invalidArgument("invalid image archive: bad digest \(digest)") }
        return try archive.read(blobPath(digest))
    }

    static func blobPath(_ digest: String) -> String { "blobs/sha256/" + SHA256Digest.hex(digest) }
}
