import Foundation
import GRDB
import Messages
import StateStore

/// `containers.db`: one row per container, its record as JSON beside the columns that must stay unique
/// or ordered. Every change is written through before it is acknowledged.
struct ContainerStore: Sendable {
    private let database: DatabasePool

    init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "containers") { migrator in
            // Replaces the placeholder table of berthd versions without containers (it never held rows).
            migrator.registerMigration("v2-container-records") { db in
                try db.execute(sql: "DROP TABLE IF EXISTS container")
                try db.create(table: "container") { t in
                    t.primaryKey("id", .text)
                    t.column("name", .text).notNull().unique()
                    t.column("createdNano", .integer).notNull()
                    t.column("record", .blob).notNull()
                }
            }
        }
    }

    func all() throws -> [ContainerRecord] {
        try database.read { db in
            try Data.fetchAll(db, sql: "SELECT record FROM container ORDER BY createdNano").map { try JSONDecoder().decode(ContainerRecord.self, from: $0) }
        }
    }

    /// Inserts or replaces a record; a name taken by another container is a conflict. The write that marks
    /// a container as being removed goes through on a full disk too (``StateStore/removing(in:_:)``).
    func save(_ record: ContainerRecord) throws {
        let data = try JSONValue(encoding: record).encoded()
        let write = { (db: Database) in
            try db.execute(
                sql: "INSERT OR REPLACE INTO container (id, name, createdNano, record) VALUES (?, ?, ?, ?)",
                arguments: [record.id, record.name, record.createdNano, data])
        }
        do {
            try record.state.status == .removing ? StateStore.removing(in: database, write) : database.write(write)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw EngineError.conflict("Conflict. The container name \"/\(record.name)\" is already in use.")
        }
    }

    /// Deletes a record (on a full disk too: ``StateStore/removing(in:_:)``).
    func delete(_ id: String) throws {
        try StateStore.removing(in: database) { db in try db.execute(sql: "DELETE FROM container WHERE id = ?", arguments: [id]) }
    }
}
