import Digests
import Archive
import Foundation
import Messages
import NIOPosix

extension ImagesChild {
    /// `docker import`: makes a one-layer image from a root filesystem tarball staged at `path` (plain,
    /// or compressed with gzip, bzip2, xz or zstd), with `changes` applied to its configuration. Returns
    /// the image ID.
    public func importRootfs(tarballAt path: String, reference: String?, changes: [String], message: String) async throws -> String {
        let target = try reference.map { try ImageReference(parsing: $0) }
        let root = stagingRoot
        let decompressed = stagingRoot + "/import-layer-" + UUID().uuidString.lowercased()
        defer { try? FileManager.default.removeItem(atPath: decompressed) }
        // Decompressing and hashing the layer are long blocking work: NIO's blocking pool, never an event
        // loop or this actor.
        let (layerPath, diffID) = try await NIOThreadPool.singleton.runIfActive { () throws -> (String, String) in
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard let compression = Compression.detect(fileAt: path) else { return (path, try SHA256Digest.ofFileBlocking(atPath: path)) }
            do {
                try compression.decompress(fileAt: path, to: decompressed)
            } catch let error as ArchiveError {
                throw EngineError.invalidArgument("docker import: \(error.message)")
            }
            return (decompressed, try SHA256Digest.ofFileBlocking(atPath: decompressed))
        }
        var changed = ImageChanges()
        try changed.apply(changes)
        let created = UnixTime.rfc3339(nano: UnixTime.nowNano)
        let config: [String: Any] = [
            "architecture": "amd64", "os": "linux", "created": created, "comment": message.isEmpty ? "Imported from -" : message,
            "config": changed.config, "rootfs": ["type": "layers", "diff_ids": [diffID]],
            "history": [["created": created, "comment": message.isEmpty ? "Imported from -" : message]],
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes])
        let configPath = stagingRoot + "/import-config-" + UUID().uuidString.lowercased()
        try data.write(to: URL(fileURLWithPath: configPath))
        defer { try? FileManager.default.removeItem(atPath: configPath) }
        let candidate = LoadCandidate(configPath: configPath, layerPaths: [layerPath], manifest: nil, names: target.map { [$0.description] } ?? [])
        _ = try await store(candidate, staging: stagingRoot, event: "import")
        return SHA256Digest.of(data)
    }
}
