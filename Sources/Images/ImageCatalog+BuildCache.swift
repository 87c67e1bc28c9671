import Foundation
import GRDB
import Messages
import StateStore

/// The build cache: which image a build step made from which parent. A step is reused when a later
/// build makes the same step (the same cache key) on the same parent and that image still exists;
/// deleting the image deletes its records. Kept in `images.db`, so it survives restarts.
extension ImageCatalog {
    /// The image an earlier build made for `key` on `parentID` ("" for `scratch`), marking it used.
    func cachedStep(parentID: String, key: String) async throws -> StoredImage? {
        try await database.write { db in
            guard let imageID = try String.fetchOne(
                db, sql: "SELECT imageID FROM buildCache WHERE parentID = ? AND key = ?", arguments: [parentID, key])
            else { return nil }
            try db.execute(
                sql: "UPDATE buildCache SET lastUsedNano = ? WHERE parentID = ? AND key = ?", arguments: [UnixTime.nowNano, parentID, key])
            return try StoredImage.fetchOne(db, key: imageID)
        }
    }

    /// Records that the step `key` on `parentID` made `imageID`.
    func recordStep(parentID: String, key: String, imageID: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO buildCache (parentID, key, imageID, lastUsedNano) VALUES (?, ?, ?, ?)",
                arguments: [parentID, key, imageID, UnixTime.nowNano])
        }
    }

    /// Every cache record: the image it names and when it was last used.
    func cacheRecords() async throws -> [(parentID: String, key: String, imageID: String, lastUsedNano: Int64)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT parentID, key, imageID, lastUsedNano FROM buildCache ORDER BY lastUsedNano").map {
                ($0["parentID"], $0["key"], $0["imageID"], $0["lastUsedNano"])
            }
        }
    }

    func deleteCacheRecord(parentID: String, key: String) async throws {
        try await StateStore.removing(in: database) { db in
            try db.execute(sql: "DELETE FROM buildCache WHERE parentID = ? AND key = ?", arguments: [parentID, key])
        }
    }

    /// The IDs of the images some other image names as its parent.
    func parentIDs() async throws -> Set<String> {
        try await database.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT parentID FROM image WHERE parentID != ''")) }
    }
}
