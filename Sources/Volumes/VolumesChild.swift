import Foundation
import GRDB
import Messages
import StateStore
import Supervision

/// The `volumes` child: named and anonymous volumes and their reference counts, kept in `volumes.db`.
public actor VolumesChild: ServingChild, VolumesService {
    private let database: DatabasePool

    public init(dataRoot: String) throws {
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
        }
    }

    public func diskUsage() async throws -> [VolumeUsage] {
        let volumes = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, driver, mountpoint, createdAt, labels FROM volume ORDER BY name").map { row in
                let labels = (row["labels"] as String?).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
                return VolumeUsage(
                    name: row["name"], driver: row["driver"], mountpoint: row["mountpoint"], createdAt: row["createdAt"],
                    labels: labels ?? [:], scope: "local", size: 0, refCount: 0)
            }
        }
        return volumes.map { volume in
            var measured = volume
            measured.size = StateStore.diskUsage(of: volume.mountpoint)
            return measured
        }
    }
}
