import Foundation
import GRDB
import Messages
import StateStore

/// `network.db`: the networks (the predefined three are created with the file) and the sandboxes of
/// running containers.
struct NetworkStore: Sendable {
    private let database: DatabasePool

    init(dataRoot: String) throws {
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
            migrator.registerMigration("v2-sandbox") { db in
                try db.create(table: "sandbox") { t in
                    t.primaryKey("containerID", .text)
                    t.column("record", .blob).notNull()
                }
            }
        }
    }

    func networks() throws -> [StoredNetwork] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, driver, createdNano, config FROM network ORDER BY createdNano").map { row in
                if let data: Data = row["config"] { return try JSONDecoder().decode(StoredNetwork.self, from: data) }
                return StoredNetwork(id: row["id"], name: row["name"], driver: row["driver"], createdNano: row["createdNano"])
            }
        }
    }

    func save(_ network: StoredNetwork) throws {
        let data = try JSONValue(encoding: network).encoded()
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO network (id, name, driver, createdNano, config) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, config = excluded.config
                    """,
                arguments: [network.id, network.name, network.driver, network.createdNano, data])
        }
    }

    func removeNetwork(_ id: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM network WHERE id = ?", arguments: [id]) }
    }

    func sandboxes() throws -> [StoredSandbox] {
        try database.read { db in
            try Data.fetchAll(db, sql: "SELECT record FROM sandbox").map { try JSONDecoder().decode(StoredSandbox.self, from: $0) }
        }
    }

    func save(_ sandbox: StoredSandbox) throws {
        let data = try JSONValue(encoding: sandbox).encoded()
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO sandbox (containerID, record) VALUES (?, ?)", arguments: [sandbox.containerID, data])
        }
    }

    func removeSandbox(_ containerID: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM sandbox WHERE containerID = ?", arguments: [containerID]) }
    }
}
