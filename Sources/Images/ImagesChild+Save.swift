import Archive
import Foundation
import Messages

extension ImagesChild {
    /// Writes a tarball that is both a docker-archive (`manifest.json`) and an OCI layout (`index.json`),
    /// with every blob once under `blobs/sha256/`, so `docker load` gives back the same image IDs.
    public func save(_ names: [String], toArchiveAt path: String) async throws {
        var images: [(image: StoredImage, tags: [ImageReference])] = []
        for name in names {
            let image = try await catalog.resolve(name)
            let tag = try await taggedReference(name, of: image)
            if let index = images.firstIndex(where: { $0.image.id == image.id }) {
                images[index].tags += tag.map { [$0] } ?? []
            } else {
                images.append((image, tag.map { [$0] } ?? []))
            }
        }
        try FileManager.default.createDirectory(atPath: stagingRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let writer = try TarWriter(fileAt: path)
        var written: Set<String> = []
        var dockerEntries: [JSONValue] = []
        var indexEntries: [JSONValue] = []
        for directory in ["blobs", "blobs/sha256"] { try writer.addDirectory(path: directory, mode: 0o755, mtime: 0) }
        for (image, tags) in images {
            let manifest = try ImageManifest.parse(image.manifest)
            try addBlob(image.config, digest: image.id, to: writer, written: &written)
            for layer in manifest.layers where !written.contains(layer.digest) {
                try await addExportedBlob(layer.digest, to: writer)
                written.insert(layer.digest)
            }
            try addBlob(image.manifest, digest: image.manifestDigest, to: writer, written: &written)
            dockerEntries.append([
                "Config": .string(LoadCandidate.blobPath(image.id)),
                "RepoTags": tags.isEmpty ? .null : .from(tags.map(\.familiar)),
                "Layers": .from(manifest.layers.map { LoadCandidate.blobPath($0.digest) }),
            ])
            for reference in tags.isEmpty ? [nil] : tags.map(Optional.some) {
                var annotations: [(String, JSONValue)] = []
                if let reference {
                    annotations = [("io.containerd.image.name", .string(reference.description)), ("org.opencontainers.image.ref.name", .string(reference.tag ?? "latest"))]
                }
                indexEntries.append([
                    "mediaType": .string(image.manifestMediaType), "digest": .string(image.manifestDigest), "size": .int(Int64(image.manifest.count)),
                    "annotations": .object(annotations),
                ])
            }
            await publish("save", id: image.id, name: tags.first?.familiar)
        }
        try writer.addFile(path: "manifest.json", mode: 0o644, mtime: 0, contents: Array(JSONValue.array(dockerEntries).encoded()))
        let index: JSONValue = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": .array(indexEntries)]
        try writer.addFile(path: "index.json", mode: 0o644, mtime: 0, contents: Array(index.encoded()))
        try writer.addFile(path: "oci-layout", mode: 0o644, mtime: 0, contents: Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        try writer.finish()
    }

    /// The tag `name` stands for, if it names the image by a tag rather than by ID.
    private func taggedReference(_ name: String, of image: StoredImage) async throws -> ImageReference? {
        guard let reference = try? ImageReference(parsing: name), reference.digest == nil else { return nil }
        let names = try await catalog.names(of: image.id)
        return names.contains { $0.name == reference.description } ? reference : nil
    }

    private func addBlob(_ data: Data, digest: String, to writer: TarWriter, written: inout Set<String>) throws {
        guard written.insert(digest).inserted else { return }
        try writer.addFile(path: LoadCandidate.blobPath(digest), mode: 0o644, mtime: 0, contents: Array(data))
    }

    /// Copies a blob out of containerd into the tarball, through a staging file.
    private func addExportedBlob(_ digest: String, to writer: TarWriter) async throws {
        let file = stagingRoot + "/save-" + UUID().uuidString.lowercased()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await subsystems.containerd.ask(deadline: .storage) { try await $0.exportContent(digest, toFile: file) }
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
        try writer.addFile(path: LoadCandidate.blobPath(digest), mode: 0o644, mtime: 0, size: size, fromFileAt: file)
    }
}
