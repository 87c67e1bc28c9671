/// A blob in containerd's content store, described the OCI way.
public struct ContentDescriptor: Sendable, Codable, Hashable {
    public var mediaType: String
    /// `sha256:<64 hex>`.
    public var digest: String
    public var size: Int64

    public init(mediaType: String, digest: String, size: Int64) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
    }
}

/// What containerd knows of a blob.
public struct ContentInfo: Sendable, Codable, Hashable {
    public var digest: String
    public var size: Int64
    public var labels: [String: String]

    public init(digest: String, size: Int64, labels: [String: String]) {
        self.digest = digest
        self.size = size
        self.labels = labels
    }
}

/// An image record in containerd's image service: a name pointing at a manifest (or index). It is the
/// root from which containerd's garbage collector keeps the image's blobs and snapshots alive.
public struct ImageRecord: Sendable, Codable, Hashable {
    public var name: String
    public var target: ContentDescriptor
    public var labels: [String: String]

    public init(name: String, target: ContentDescriptor, labels: [String: String]) {
        self.name = name
        self.target = target
        self.labels = labels
    }
}

/// One layer to apply on top of its parent snapshot.
public struct LayerUnpack: Sendable, Codable, Hashable {
    /// The layer blob (a tar, possibly gzip- or zstd-compressed) in the content store.
    public var layer: ContentDescriptor
    /// The digest of the uncompressed tar (the image config's `rootfs.diff_ids` entry).
    public var diffID: String
    /// The chain ID of this layer: the name of the committed snapshot.
    public var chainID: String
    /// The chain ID of the layer below, `nil` for the first layer.
    public var parentChainID: String?

    public init(layer: ContentDescriptor, diffID: String, chainID: String, parentChainID: String?) {
        self.layer = layer
        self.diffID = diffID
        self.chainID = chainID
        self.parentChainID = parentChainID
    }
}
