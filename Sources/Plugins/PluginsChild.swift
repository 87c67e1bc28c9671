import GRDB
import Messages
import StateStore
import Supervision

/// The `plugins` child: the registry of the plugins berthd can use (built-in drivers now; legacy
/// plugins discovered on disk arrive with the Plugins issue), kept in `plugins.db`.
public actor PluginsChild: ServingChild, PluginsService {
    private let database: DatabasePool

    public init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "plugins") { migrator in
            migrator.registerMigration("v1-plugins") { db in
                try db.create(table: "plugin") { t in
                    t.primaryKey("name", .text)
                    t.column("kind", .text).notNull()
                    t.column("address", .text).notNull()
                    t.column("activatedAtNano", .integer).notNull()
                }
            }
        }
    }

    public func inventory() async throws -> PluginInventory {
        let plugins = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, kind FROM plugin ORDER BY name").map { (name: $0["name"] as String, kind: $0["kind"] as String) }
        }
        func activated(_ kind: String) -> [String] { plugins.filter { $0.kind == kind }.map(\.name) }
        return PluginInventory(
            volume: ["local"] + activated("VolumeDriver"),
            network: ["bridge", "host", "null"] + activated("NetworkDriver"),
            authorization: activated("authz"),
            log: ["json-file", "local", "none"])
    }
}
