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

    public init(dataRoot: String, requested: String, containerd: ChildRef<any ContainerdService>) throws {
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
        try database.write { [driver] db in
            try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('driver', ?)", arguments: [driver.rawValue])
        }
        self.dataRoot = dataRoot
        self.containerd = containerd
    }

    public func run(_ context: ChildContext) async throws {
        context.report(["driver": driver.rawValue])
        context.ready()
        await context.untilStopped()
    }

    public func unpack(_ layers: [LayerUnpack], lease: String?) async throws {
        let snapshotter = driver.rawValue
        for layer in layers {
            try await containerd.ask(timeout: .seconds(600)) { try await $0.unpackLayer(layer, snapshotter: snapshotter, lease: lease) }
        }
    }

    public func status() async throws -> StorageDriverStatus {
        StorageDriverStatus(
            driver: driver.rawValue, details: [["driver-type", "io.containerd.snapshotter.v1"]],
            layersSize: StateStore.diskUsage(of: dataRoot + "/containerd/io.containerd.snapshotter.v1.\(driver.rawValue)"))
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
