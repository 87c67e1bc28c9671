import Foundation
import GRDB

/// An image as `images.db` keeps it: the configuration (whose digest is the ID) and the manifest that
/// points at its blobs in containerd's content store.
struct StoredImage: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "image"

    var id: String
    var parentID: String
    var createdNano: Int64
    var size: Int64
    var config: Data
    var manifest: Data
    var manifestDigest: String
    var manifestMediaType: String
    var lastTagNano: Int64

    /// The name of the containerd image record that keeps this image's blobs and snapshots alive.
    var recordName: String { Self.recordPrefix + id }
    static let recordPrefix = "berth.image/"
}

/// A name (tag or digest reference) of an image.
struct StoredReference: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "reference"

    /// The normalized full name: `docker.io/library/busybox:latest`.
    var name: String
    var imageID: String
    var isDigest: Bool
}
