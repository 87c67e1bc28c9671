import GRDB
import Messages
import StateStore
import Supervision

/// The `network` child: networks (the predefined `bridge`, `host` and `none`, and user networks) and
/// their address pools, kept in `network.db`. Wiring them with CNI arrives with the Network issue.
public actor NetworkChild: ServingChild, NetworkService {
    private let database: DatabasePool
    private let pools: [AddressPool]

    /// The pools dockerd uses when `default-address-pools` is not configured.
    static let defaultPools = [AddressPool(base: "172.17.0.0/16", size: 16), AddressPool(base: "172.18.0.0/16", size: 16)]

    public init(dataRoot: String, addressPools: [AddressPool]) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "network") { migrator in
            migrator.registerMigration("v1-network") { db in
                try db.create(table: "network") { t in
                    t.primaryKey("id", .text)
                    t.column("name", .text).notNull().unique()
                    t.column("driver", .text).notNull()
                    t.column("createdNano", .integer).notNull()
                    t.column("config", .blob)
                }
                for (name, driver) in [("bridge", "bridge"), ("host", "host"), ("none", "null")] {
                    try db.execute(
                        sql: "INSERT INTO network (id, name, driver, createdNano) VALUES (?, ?, ?, ?)",
                        arguments: [EngineID.random(), name, driver, UnixTime.nowNano])
                }
            }
        }
        pools = addressPools.isEmpty ? Self.defaultPools : addressPools
    }

    public func overview() async throws -> NetworkOverview {
        let names = try await database.read { db in try String.fetchAll(db, sql: "SELECT name FROM network ORDER BY name") }
        return NetworkOverview(networkNames: names, addressPools: pools)
    }
}
