import GRDB
import Messages
import StateStore
import Supervision

/// The `plugins` child: the registry of the plugins berthd can use (built-in drivers now; legacy
/// plugins discovered on disk arrive with the Plugins issue), kept in `plugins.db`.
public actor PluginsChild: ServingChild, PluginsService {
    private let database: DatabasePool

    public init(config: DaemonConfig, configStore: ConfigStore) throws {
        database = try StateStore.open(dataRoot: config.dataRoot, name: "plugins") { migrator in
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
        PluginInventory(volume: ["local"], network: ["bridge", "host", "null"], authorization: [], log: ["json-file", "local", "none"])
    }

    public func call(plugin name: String, kind: String, method: String, body: JSONValue) async throws -> JSONValue {
        throw EngineError.notFound("plugin \"\(name)\" not found")
    }

    public func plugins(implementing kind: String) async throws -> [String] { [] }

    public func authorize(_ request: AuthorizationRequest) async throws -> AuthorizationVerdict { .allowed }

    public func authorizeResponse(_ request: AuthorizationRequest, _ response: AuthorizationResponse) async throws -> AuthorizationVerdict { .allowed }
}
