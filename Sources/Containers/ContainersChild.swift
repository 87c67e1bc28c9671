import GRDB
import Messages
import StateStore
import Supervision

/// The `containers` child: container records, names and states, kept in `containers.db`. The whole
/// life cycle (create, start, attach, …) arrives with the Containers issue.
public actor ContainersChild: ServingChild, ContainersService {
    private let database: DatabasePool

    public init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "containers") { migrator in
            migrator.registerMigration("v1-containers") { db in
                try db.create(table: "container") { t in
                    t.primaryKey("id", .text)
                    t.column("name", .text).notNull().unique()
                    t.column("image", .text).notNull()
                    t.column("imageID", .text).notNull()
                    t.column("command", .text).notNull()
                    t.column("createdNano", .integer).notNull()
                    t.column("state", .text).notNull()
                    t.column("labels", .text).notNull()
                    t.column("config", .blob).notNull()
                }
            }
        }
    }

    public func counts() async throws -> ContainerCounts {
        let byState = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM container GROUP BY state")
                .reduce(into: [String: Int]()) { $0[$1["state"]] = $1["n"] }
        }
        let running = byState["running", default: 0] + byState["restarting", default: 0]
        let paused = byState["paused", default: 0]
        return ContainerCounts(running: running, paused: paused, stopped: byState.values.reduce(0, +) - running - paused)
    }

    public func diskUsage() async throws -> [ContainerUsage] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, image, imageID, command, createdNano, state FROM container ORDER BY createdNano DESC").map { row in
                let name: String = row["name"]
                let created: Int64 = row["createdNano"]
                return ContainerUsage(
                    id: row["id"], names: ["/" + name], image: row["image"], imageID: row["imageID"], command: row["command"],
                    created: created / 1_000_000_000, state: row["state"], status: row["state"], sizeRw: 0, sizeRootFs: 0, labels: [:])
            }
        }
    }
}
