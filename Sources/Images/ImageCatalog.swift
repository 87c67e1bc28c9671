import Foundation
import GRDB
import Messages
import StateStore

/// The images and their names in `images.db`: what the `images` child owns.
struct ImageCatalog: Sendable {
    let database: DatabasePool

    init(dataRoot: String) throws {
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
            migrator.registerMigration("v2-image-manifest") { db in
                try db.alter(table: "image") { t in
                    t.add(column: "manifest", .blob).notNull().defaults(to: Data())
                    t.add(column: "manifestDigest", .text).notNull().defaults(to: "")
                    t.add(column: "manifestMediaType", .text).notNull().defaults(to: "")
                    t.add(column: "lastTagNano", .integer).notNull().defaults(to: 0)
                }
            }
            migrator.registerMigration("v3-build-cache") { db in
                try db.create(table: "buildCache") { t in
                    t.column("parentID", .text).notNull()
                    t.column("key", .text).notNull()
                    t.column("imageID", .text).notNull().references("image", onDelete: .cascade)
                    t.column("lastUsedNano", .integer).notNull()
                    t.primaryKey(["parentID", "key"])
                }
                try db.create(index: "buildCacheImage", on: "buildCache", columns: ["imageID"])
            }
        }
    }

    /// Read in place and outside a transaction (one `SELECT count(*)` is consistent by itself): the
    /// asynchronous read's thread hops and the transaction cost more, and `/info` asks every time.
    func count() throws -> Int {
        // A cached statement: building the query each time costs more than running it.
        try database.unsafeRead { db in try Int.fetchOne(db.cachedStatement(sql: Self.countSQL)) ?? 0 }
    }

    private static let countSQL = "SELECT COUNT(*) FROM \(StoredImage.databaseTableName)"

    /// Every image with its names, newest first.
    func all() async throws -> [(image: StoredImage, names: [StoredReference])] {
        try await database.read { db in
            let references = Dictionary(grouping: try StoredReference.fetchAll(db), by: \.imageID)
            return try StoredImage.order(Column("createdNano").desc).fetchAll(db).map { ($0, references[$0.id] ?? []) }
        }
    }

    func names(of imageID: String) async throws -> [StoredReference] {
        try await database.read { db in try StoredReference.filter(Column("imageID") == imageID).order(Column("name")).fetchAll(db) }
    }

    /// Finds an image by name (tag or digest reference), full ID, or unique ID prefix.
    func resolve(_ name: String) async throws -> StoredImage {
        let reference = try? ImageReference(parsing: name)
        let hex = name.hasPrefix("sha256:") ? String(name.dropFirst(7)) : name
        let found = try await database.read { db -> [StoredImage] in
            if let reference, let imageID = try String.fetchOne(db, sql: "SELECT imageID FROM reference WHERE name = ?", arguments: [reference.description]) {
                return try StoredImage.fetchOne(db, key: imageID).map { [$0] } ?? []
            }
            guard hex.wholeMatch(of: #/[a-f0-9]{1,64}/#) != nil else { return [] }
            return try StoredImage.filter(sql: "id LIKE ?", arguments: ["sha256:\(hex)%"]).limit(2).fetchAll(db)
        }
        guard let image = found.first else { throw EngineError.notFound("No such image: \(name)") }
        guard found.count == 1 else { throw EngineError.invalidArgument("ambiguous image ID prefix \(name): several images match") }
        return image
    }

    /// Stores an image (or leaves an identical one as it is) and points `references` at it, in one
    /// transaction: a write that fails (on a full disk) leaves neither. Returns, per reference, the image it pointed at before, if another.
    func save(_ image: StoredImage, naming references: [ImageReference]) async throws -> [String?] {
        try await database.write { db in
            try image.save(db)
            return try references.map { try Self.point($0, at: image.id, in: db) }
        }
    }

    /// Points `reference` at an image; returns the image it pointed at before, if another.
    @discardableResult
    func setReference(_ reference: ImageReference, to imageID: String) async throws -> String? {
        try await database.write { db in try Self.point(reference, at: imageID, in: db) }
    }

    private static func point(_ reference: ImageReference, at imageID: String, in db: Database) throws -> String? {
        let previous = try String.fetchOne(db, sql: "SELECT imageID FROM reference WHERE name = ?", arguments: [reference.description])
        try StoredReference(name: reference.description, imageID: imageID, isDigest: reference.digest != nil).save(db)
        try db.execute(sql: "UPDATE image SET lastTagNano = ? WHERE id = ?", arguments: [UnixTime.nowNano, imageID])
        return previous == imageID ? nil : previous
    }

    func removeReference(_ name: String) async throws {
        try await StateStore.removing(in: database) { db in _ = try StoredReference.deleteOne(db, key: name) }
    }

    /// Deletes an image and its names (on a full disk too: ``StateStore/removing(in:_:)``).
    func delete(_ imageID: String) async throws {
        try await StateStore.removing(in: database) { db in
            try db.execute(sql: "DELETE FROM reference WHERE imageID = ?", arguments: [imageID])
            _ = try StoredImage.deleteOne(db, key: imageID)
        }
    }
}
