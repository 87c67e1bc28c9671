import GRDB
import Messages
import StateStore

/// `plugins.db`: the legacy plugins activated so far, so that `/info` keeps listing the volume drivers
/// in use after berthd restarts.
struct PluginStore: Sendable {
    private let database: DatabasePool

    init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "plugins") { migrator in
            migrator.registerMigration("v1-plugins") { db in
                try db.create(table: "plugin") { t in
                    t.primaryKey("name", .text)
                    t.column("kind", .text).notNull()
                    t.column("address", .text).notNull()
                    t.column("activatedAtNano", .integer).notNull()
                }
            }
            // A plugin implements several kinds: the column holds them comma-separated.
            migrator.registerMigration("v2-plugin-implements") { db in
                try db.alter(table: "plugin") { t in t.rename(column: "kind", to: "implements") }
            }
        }
    }

    func record(_ plugin: ActivatedPlugin) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO plugin (name, implements, address, activatedAtNano) VALUES (?, ?, ?, ?)",
                arguments: [plugin.name, plugin.implements.joined(separator: ","), plugin.address.description, UnixTime.nowNano])
        }
    }

    /// The plugins recorded, by name.
    func activated() throws -> [ActivatedPlugin] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, implements, address FROM plugin ORDER BY name").compactMap { row in
                guard let address = PluginAddress(url: row["address"]) else { return nil }
                let implements: String = row["implements"]
                return ActivatedPlugin(name: row["name"], address: address, implements: implements.split(separator: ",").map(String.init))
            }
        }
    }
}
