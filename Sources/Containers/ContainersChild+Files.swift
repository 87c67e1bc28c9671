import Foundation
import Messages
import NIOPosix

extension ContainersChild {
    public func statPath(_ ref: String, path: String) async throws -> String {
        let record = try resolve(ref)
        return try await withRootfs(record) { root in try root.stat(path).headerValue() }
    }

    public func archivePath(_ ref: String, path: String, toFile archive: String) async throws -> String {
        let record = try resolve(ref)
        return try await withRootfs(record) { root in
            let output = try Self.createFile(archive)
            defer { try? output.close() }
            return try root.archive(path, to: output).headerValue()
        }
    }

    public func extractArchive(_ ref: String, path: String, fromFile archive: String, noOverwriteDirNonDir: Bool) async throws {
        let record = try resolve(ref)
        if record.hostConfig.ReadonlyRootfs == true { throw EngineError(.forbidden, "container rootfs is marked read-only") }
        try await withRootfs(record) { root in
            var options = ExtractOptions()
            options.noOverwriteDirNonDir = noOverwriteDirNonDir
            try root.extract(archiveAt: archive, into: path, options: options)
        }
    }

    public func changes(_ ref: String) async throws -> [FilesystemChange] {
        let record = try resolve(ref)
        let paths = try await subsystems.graphdriver.ask { try await $0.containerLayerPaths(record.id) }
        return try await NIOThreadPool.singleton.runIfActive {
            paths.lowers.isEmpty && paths.driver != "overlayfs"
                ? try ContainerChanges.between(paths.upper, base: nil)
                : try ContainerChanges.overlay(upperDirectory: paths.upper, lowerDirectories: paths.lowers)
        }
    }

    public func export(_ ref: String, toFile archive: String) async throws {
        let record = try resolve(ref)
        try await withRootfs(record) { root in
            let output = try Self.createFile(archive)
            defer { try? output.close() }
            try root.export(to: output)
        }
    }

    /// Runs blocking file work on the container's mounted root: the live mount of a running container,
    /// else a mount made for the call (and the container is held meanwhile so nothing starts it).
    private func withRootfs<T: Sendable>(_ record: ContainerRecord, _ body: @escaping @Sendable (ContainerRoot) throws -> T) async throws -> T {
        let root = ContainerRoot(path: rootfsPath(record.id), containerName: record.name)
        if entries[record.id]?.run != nil {
            return try await NIOThreadPool.singleton.runIfActive { try body(root) }
        }
        return try await serialized(record.id) {
            let mountPoint = rootfsPath(record.id)
            try await subsystems.graphdriver.ask { try await $0.mountContainerLayer(record.id, at: mountPoint) }
            defer {
                let graphdriver = subsystems.graphdriver
                Task { try? await graphdriver.ask { try await $0.unmount(mountPoint) } }
            }
            return try await NIOThreadPool.singleton.runIfActive { try body(root) }
        }
    }

    private static func createFile(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw EngineError.internal("cannot create \(path)")
        }
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
}
