import Digests
import Foundation
import Messages

extension ImagesChild {
    public func commit(layerAt path: String, parentID: String, config: ContainerConfig, options: CommitOptions) async throws -> String {
        let parent = try await catalog.resolve(parentID)
        let parentConfig = try ImageConfig.parse(parent.config)
        let manifest = try ImageManifest.parse(parent.manifest)
        let target = try options.reference.map { try ImageReference(parsing: $0) }
        var document = (try JSONSerialization.jsonObject(with: parent.config) as? [String: Any]) ?? [:]
        var changed = ImageChanges(base: (try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any]) ?? [:])
        try changed.apply(options.changes)
        let created = UnixTime.rfc3339(nano: UnixTime.nowNano)
        document["config"] = changed.config
        document["created"] = created
        document["container"] = options.containerID
        document["author"] = options.author.isEmpty ? nil : options.author
        document["comment"] = options.comment.isEmpty ? nil : options.comment
        document["rootfs"] = ["type": "layers", "diff_ids": parentConfig.rootfs.diff_ids + [try await SHA256Digest.ofFile(atPath: path)]]
        var history = (document["history"] as? [Any]) ?? []
        history.append(["created": created, "author": options.author, "comment": options.comment].filter { !$0.value.isEmpty })
        document["history"] = history
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])

        try FileManager.default.createDirectory(atPath: stagingRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let work = stagingRoot + "/commit-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try data.write(to: URL(fileURLWithPath: work + "/config.json"))
        var layerPaths: [String] = []
        for (index, layer) in manifest.layers.enumerated() {
            let file = work + "/layer-\(index)"
            try await subsystems.containerd.ask(deadline: .storage) { try await $0.exportContent(layer.digest, toFile: file) }
            layerPaths.append(file)
        }
        let candidate = LoadCandidate(configPath: work + "/config.json", layerPaths: layerPaths + [path], manifest: nil, names: target.map { [$0.description] } ?? [])
        _ = try await store(candidate, staging: work, event: "commit")
        return SHA256Digest.of(data)
    }
}
