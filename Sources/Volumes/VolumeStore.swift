import Foundation
import GRDB
import Messages
import StateStore

/// `volumes.db`: the volumes, which containers reference them (from create to removal) and which
/// running containers have them mounted.
struct VolumeStore: Sendable {
    private let database: DatabasePool

    init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "volumes") { migrator in
            migrator.registerMigration("v1-volumes") { db in
                try db.create(table: "volume") { t in
                    t.primaryKey("name", .text)
                    t.column("driver", .text).notNull()
                    t.column("mountpoint", .text).notNull()
                    t.column("createdAt", .text).notNull()
                    t.column("labels", .text).notNull()
                    t.column("options", .text).notNull()
                    t.column("anonymous", .boolean).notNull()
                }
            }
            migrator.registerMigration("v2-volume-users") { db in
                for table in ["reference", "mounted"] {
                    try db.create(table: table) { t in
                        t.column("volume", .text).notNull().references("volume", onDelete: .cascade)
                        t.column("container", .text).notNull()
                        t.primaryKey(["volume", "container"])
                    }
                }
            }
        }
    }

    func volumes() throws -> [StoredVolume] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM volume ORDER BY createdAt, name").map { row in
                StoredVolume(
                    name: row["name"], driver: row["driver"], mountpoint: row["mountpoint"], createdAt: row["createdAt"],
                    labels: Self.decode(row["labels"]), options: Self.decode(row["options"]), anonymous: row["anonymous"])
            }
        }
    }

    func save(_ volume: StoredVolume) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO volume (name, driver, mountpoint, createdAt, labels, options, anonymous) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [volume.name, volume.driver, volume.mountpoint, volume.createdAt, Self.encode(volume.labels), Self.encode(volume.options), volume.anonymous])
        }
    }

    /// Deletes a volume's row (on a full disk too: ``StateStore/removing(in:_:)``).
    func remove(_ name: String) throws {
        try StateStore.removing(in: database) { db in try db.execute(sql: "DELETE FROM volume WHERE name = ?", arguments: [name]) }
    }

    /// `reference` or `mounted` rows: volume → containers.
    func users(_ table: UserTable) throws -> [String: Set<String>] {
        try database.read { db in
            var users: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT volume, container FROM \(table.rawValue)") {
                users[row["volume"], default: []].insert(row["container"])
            }
            return users
        }
    }

    func add(_ table: UserTable, volume: String, container: String) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO \(table.rawValue) (volume, container) VALUES (?, ?)", arguments: [volume, container])
        }
    }

    func delete(_ table: UserTable, volume: String, container: String) throws {
        try StateStore.removing(in: database) { db in
            try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE volume = ? AND container = ?", arguments: [volume, container])
        }
    }

    enum UserTable: String { case reference, mounted }

    private static func encode(_ map: [String: String]) -> String {
        String(decoding: (try? JSONEncoder().encode(map)) ?? Data("{}".utf8), as: UTF8.self)
    }

    private static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
