import Foundation
import GRDB
import Messages
import StateStore
import Supervision

/// The `images` child: image records and the references (names, tags, digests) that point at them,
/// kept in `images.db`; the bytes live in containerd's content store.
public actor ImagesChild: ServingChild, ImagesService {
    private let database: DatabasePool

    public init(dataRoot: String) throws {
        database = try StateStore.open(dataRoot: dataRoot, name: "images") { migrator in
            migrator.registerMigration("v1-images") { db in
                try db.create(table: "image") { t in
                    t.primaryKey("id", .text)
                    t.column("parentID", .text).notNull()
                    t.column("createdNano", .integer).notNull()
                    t.column("size", .integer).notNull()
                    t.column("config", .blob).notNull()
                }
                try db.create(table: "reference") { t in
                    t.primaryKey("name", .text)
                    t.column("imageID", .text).notNull().references("image", onDelete: .cascade)
                    t.column("isDigest", .boolean).notNull()
                }
            }
        }
    }

    public func imageCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") ?? 0 }
    }

    public func diskUsage() async throws -> [ImageUsage] {
        try await database.read { db in
            let references = try Row.fetchAll(db, sql: "SELECT name, imageID, isDigest FROM reference")
            return try Row.fetchAll(db, sql: "SELECT id, parentID, createdNano, size FROM image ORDER BY createdNano DESC").map { row in
                let id: String = row["id"]
                let names = references.filter { $0["imageID"] == id }
                let created: Int64 = row["createdNano"]
                return ImageUsage(
                    id: id, parentID: row["parentID"], repoTags: names.filter { !$0["isDigest"] }.map { $0["name"] },
                    repoDigests: names.filter { $0["isDigest"] }.map { $0["name"] }, created: created / 1_000_000_000,
                    size: row["size"], sharedSize: -1, containers: -1, labels: [:])
            }
        }
    }
}
