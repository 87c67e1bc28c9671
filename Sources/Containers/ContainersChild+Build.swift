import Foundation
import Messages
import NIOPosix

/// What the images child's builder asks of containers: a step's changes as a layer, and files copied in.
extension ContainersChild {
    public func writeLayer(_ ref: String, toFile path: String) async throws {
        let record = try resolve(ref)
        let paths = try await subsystems.graphdriver.ask { try await $0.containerLayerPaths(record.id) }
        try await NIOThreadPool.singleton.runIfActive {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw EngineError.internal("cannot create \(path)") }
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? output.close() }
            if paths.driver == "overlayfs" && !paths.lowers.isEmpty {
                try LayerArchive.writeOverlay(upperDirectory: paths.upper, to: output)
            } else {
                try LayerArchive.writeDifference(of: paths.upper, base: nil, to: output)
            }
        }
    }

    public func copyIn(_ ref: String, fromFile archive: String, destination: String, chown: String?) async throws {
        let record = try resolve(ref)
        guard entries[record.id]?.run == nil else { throw EngineError.conflict("Container \(record.id) is running") }
        try await serialized(record.id) {
            let mountPoint = rootfsPath(record.id)
            try await subsystems.graphdriver.ask { try await $0.mountContainerLayer(record.id, at: mountPoint) }
            do {
                try await NIOThreadPool.singleton.runIfActive {
                    var options = ExtractOptions(keepsEscapingSymlinks: true)
                    if let chown { options.owner = try Self.owner(chown, rootfs: mountPoint) }
                    try ContainerRoot(path: mountPoint, containerName: record.name).copy(archiveAt: archive, to: destination, options: options)
                }
            } catch {
                try? await subsystems.graphdriver.ask { try await $0.unmount(mountPoint) }
                throw error
            }
            try await subsystems.graphdriver.ask { try await $0.unmount(mountPoint) }
        }
    }

    /// `--chown=user[:group]` as Docker resolves it in the container's own files; `name` alone is
    /// `name:name`. Errors in dockerd's words.
    static func owner(_ chown: String, rootfs: String) throws -> FileOwner {
        let parts = chown.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let user = parts[0]
        let group = parts.count > 1 ? parts[1] : user
        let prefix = "unable to convert uid/gid chown string to host mapping: "
        do {
            _ = try UserResolver.resolve(user: user, groupAdd: [], rootfs: rootfs)
        } catch {
            throw EngineError.invalidArgument(prefix + "can't find uid for user \(user): no such user: \(user)")
        }
        do {
            let resolved = try UserResolver.resolve(user: user + ":" + group, groupAdd: [], rootfs: rootfs)
            return FileOwner(uid: resolved.uid, gid: resolved.gid)
        } catch {
            throw EngineError.invalidArgument(prefix + "can't find gid for group \(group): no such group: \(group)")
        }
    }
}
