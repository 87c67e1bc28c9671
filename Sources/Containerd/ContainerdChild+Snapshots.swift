import ContainerdAPI
import Foundation
import GRPCCore
import Messages

extension ContainerdChild {
    typealias SnapshotsClient = Containerd_Services_Snapshots_V1_Snapshots.Client<ContainerdConnection.Transport>

    /// Unpacks a layer the way containerd's own unpacker does: prepare an active snapshot
    /// `extract-<random>-<chainID>` on the parent, apply the layer into its mounts with the differ,
    /// check the applied digest against `diffID`, and commit it as `chainID`.
    ///
    /// A snapshot `chainID` that exists already (before, or committed concurrently) makes this a no-op.
    /// On any failure the active snapshot is removed again.
    public func unpackLayer(_ unpack: LayerUnpack, snapshotter: String, lease: String?) async throws {
        if try await snapshotExists(unpack.chainID, snapshotter: snapshotter) { return }
        let snapshots = try connected().snapshots
        let metadata = ContainerdConnection.metadata(lease: lease)
        let key = "extract-\(UUID().uuidString.lowercased())-\(unpack.chainID)"
        let mounts = try await call("snapshot prepare \(key)") { connection in
            try await connection.snapshots.prepare(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = key
                    $0.parent = unpack.parentChainID ?? ""
                },
                metadata: metadata, options: ContainerdConnection.slow
            ).mounts
        }
        let committed: Bool
        do {
            let applied = try await call("diff apply \(unpack.layer.digest)") { connection in
                try await connection.diff.apply(
                    .with {
                        $0.diff = .with {
                            $0.mediaType = unpack.layer.mediaType
                            $0.digest = unpack.layer.digest
                            $0.size = unpack.layer.size
                        }
                        $0.mounts = mounts
                    },
                    metadata: metadata, options: ContainerdConnection.slow
                ).applied
            }
            guard applied.digest == unpack.diffID else {
                throw EngineError.invalidArgument(
                    "containerd: unpack \(unpack.layer.digest): the layer's diff ID is \(applied.digest), expected \(unpack.diffID)")
            }
            committed = try await callUnlessAlreadyExists("snapshot commit \(unpack.chainID)") { connection in
                try await connection.snapshots.commit(
                    .with {
                        $0.snapshotter = snapshotter
                        $0.name = unpack.chainID
                        $0.key = key
                    },
                    metadata: metadata, options: ContainerdConnection.slow)
            } != nil
        } catch {
            await Self.removeActive(key, snapshotter: snapshotter, on: snapshots)
            throw error
        }
        if !committed {
            await Self.removeActive(key, snapshotter: snapshotter, on: snapshots)
        }
    }

    /// Whether `name` is a committed snapshot (an active one, still being unpacked, does not count).
    public func snapshotExists(_ name: String, snapshotter: String) async throws -> Bool {
        let info = try await callUnlessNotFound("snapshot stat \(name)") { connection in
            try await connection.snapshots.stat(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = name
                },
                options: ContainerdConnection.unary
            ).info
        }
        return info?.kind == .committed
    }

    /// Removes a snapshot; containerd refuses (`invalidArgument`) while another one is built on it.
    public func removeSnapshot(_ name: String, snapshotter: String) async throws {
        _ = try await callUnlessNotFound("snapshot remove \(name)") { connection in
            try await connection.snapshots.remove(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = name
                },
                options: ContainerdConnection.slow)
        }
    }

    public func snapshotUsage(_ name: String, snapshotter: String) async throws -> Int64 {
        try await call("snapshot usage \(name)") { connection in
            try await connection.snapshots.usage(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = name
                },
                options: ContainerdConnection.slow
            ).size
        }
    }

    public func prepareSnapshot(_ key: String, parent: String, snapshotter: String, labels: [String: String]) async throws -> [FilesystemMount] {
        let prepared = try await callUnlessAlreadyExists("snapshot prepare \(key)") { connection in
            try await connection.snapshots.prepare(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = key
                    $0.parent = parent
                    $0.labels = labels
                },
                options: ContainerdConnection.slow
            ).mounts
        }
        guard let prepared else { return try await snapshotMounts(key, snapshotter: snapshotter) ?? [] }
        return prepared.map(Self.filesystemMount)
    }

    public func snapshotMounts(_ key: String, snapshotter: String) async throws -> [FilesystemMount]? {
        try await callUnlessNotFound("snapshot mounts \(key)") { connection in
            try await connection.snapshots.mounts(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = key
                },
                options: ContainerdConnection.unary
            ).mounts.map(Self.filesystemMount)
        }
    }

    // MARK: Helpers

    private static func filesystemMount(_ mount: Containerd_Types_Mount) -> FilesystemMount {
        FilesystemMount(type: mount.type, source: mount.source, options: mount.options)
    }

    /// Removes an active snapshot left by an unpack. Runs to its end even if the caller was cancelled;
    /// a failure is left to containerd's collector (the snapshot belongs to no image).
    private static func removeActive(_ key: String, snapshotter: String, on snapshots: SnapshotsClient) async {
        await Task {
            _ = try? await snapshots.remove(
                .with {
                    $0.snapshotter = snapshotter
                    $0.key = key
                },
                options: ContainerdConnection.slow)
        }.value
    }
}
