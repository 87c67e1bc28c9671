import Foundation
import GRDB
import Messages
import StateStore
import Supervision

/// The `graphdriver` child: chooses containerd's snapshotter (overlayfs where the kernel has it, native
/// otherwise; `storage-driver` overrides) and remembers the choice in `graphdriver.db`, so images stay
/// visible across restarts.
public actor GraphDriverChild: SupervisedChild, GraphDriverService {
    private let database: DatabasePool
    private let driver: StorageDriver
    private let dataRoot: String
    private let containerd: ChildRef<any ContainerdService>

    public init(dataRoot: String, requested: String, subsystems: GraphDriverSiblings) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "graphdriver") { migrator in
            migrator.registerMigration("v1-graphdriver") { db in
                try db.create(table: "setting") { t in
                    t.primaryKey("key", .text)
                    t.column("value", .text).notNull()
                }
            }
        }
        let remembered = try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'driver'") }
        driver = try StorageDriver.choose(requested: requested, remembered: remembered)
        // Written only when it changes: a start writes nothing, so berthd starts on a full disk.
        if remembered != driver.rawValue {
            try database.write { [driver] db in
                try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('driver', ?)", arguments: [driver.rawValue])
            }
        }
        self.dataRoot = dataRoot
        containerd = subsystems.containerd
    }

    public func run(_ context: ChildContext) async throws {
        context.report(["driver": driver.rawValue])
        context.ready()
        await context.untilStopped()
    }

    public func unpack(_ layers: [LayerUnpack], lease: String?) async throws {
        let snapshotter = driver.rawValue
        for layer in layers {
            try await containerd.ask(deadline: .storage) { try await $0.unpackLayer(layer, snapshotter: snapshotter, lease: lease) }
        }
    }

    public func prepareContainerLayer(_ containerID: String, parentChainID: String?) async throws {
        let snapshotter = driver.rawValue
        _ = try await containerd.ask {
            // The gc.root label keeps containerd's collector off the layer until berthd removes it.
            try await $0.prepareSnapshot(
                containerID, parent: parentChainID ?? "", snapshotter: snapshotter,
                labels: ["berth.container": containerID, "containerd.io/gc.root": UnixTime.rfc3339(nano: UnixTime.nowNano)])
        }
    }

    public func mountContainerLayer(_ containerID: String, at path: String) async throws {
        let mounts = try await layerMounts(containerID)
        try Mounter.mount(mounts, at: path)
    }

    public func unmount(_ path: String) async throws {
        try Mounter.unmount(path)
    }

    public func removeContainerLayer(_ containerID: String) async throws {
        let snapshotter = driver.rawValue
        try await containerd.ask { try await $0.removeSnapshot(containerID, snapshotter: snapshotter) }
    }

    public func containerLayerSize(_ containerID: String) async throws -> Int64 {
        let snapshotter = driver.rawValue
        return try await containerd.ask { try await $0.snapshotUsage(containerID, snapshotter: snapshotter) }
    }

    public func containerLayerPaths(_ containerID: String) async throws -> ContainerLayerPaths {
        let mounts = try await layerMounts(containerID)
        let options = mounts.first?.options ?? []
        func option(_ name: String) -> String? {
            options.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
        }
        if let upper = option("upperdir") {
            return ContainerLayerPaths(driver: driver.rawValue, upper: upper, lowers: option("lowerdir")?.split(separator: ":").map(String.init) ?? [])
        }
        // A layer on an image without layers (or the native snapshotter): one bind-mounted directory.
        return ContainerLayerPaths(driver: driver.rawValue, upper: mounts.first?.source ?? "", lowers: [])
    }

    private func layerMounts(_ containerID: String) async throws -> [FilesystemMount] {
        let snapshotter = driver.rawValue
        guard let mounts = try await containerd.ask({ try await $0.snapshotMounts(containerID, snapshotter: snapshotter) }) else {
            throw EngineError.notFound("no read-write layer for container \(containerID)")
        }
        return mounts
    }

    public func status() async throws -> StorageDriverStatus {
        StorageDriverStatus(driver: driver.rawValue, details: [["driver-type", "io.containerd.snapshotter.v1"]])
    }

    public func layersSize() async throws -> Int64 {
        StateStore.diskUsage(of: dataRoot + "/containerd/io.containerd.snapshotter.v1.\(driver.rawValue)")
    }
}

/// The containerd snapshotters berthd can store images with.
enum StorageDriver: String {
    case overlayfs
    case native

    /// The configured driver if any (`overlay2` is accepted for overlayfs), else the remembered one, else
    /// overlayfs when the kernel supports it.
    static func choose(requested: String, remembered: String?) throws -> StorageDriver {
        switch requested {
        case "": break
        case "overlay2", "overlay": return .overlayfs
        default:
            guard let driver = StorageDriver(rawValue: requested) else {
                throw EngineError.invalidArgument("unsupported storage driver \(requested): use overlayfs or native")
            }
            return driver
        }
        if let remembered, let driver = StorageDriver(rawValue: remembered) { return driver }
        let filesystems = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? ""
        return filesystems.contains("\toverlay\n") ? .overlayfs : .native
    }
}
