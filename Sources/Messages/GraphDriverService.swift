/// Requests the `graphdriver` child answers.
public protocol GraphDriverService: Sendable {
    /// The storage driver in use and its status lines (`Driver`, `DriverStatus` in `/info`).
    func status() async throws -> StorageDriverStatus
    /// Unpacks an image's layers, bottom first, into committed snapshots named by their chain IDs.
    func unpack(_ layers: [LayerUnpack], lease: String?) async throws
}

public struct StorageDriverStatus: Sendable, Codable, Hashable {
    /// The containerd snapshotter: `overlayfs` or `native`.
    public var driver: String
    /// Name–value pairs, in the order `docker info` prints them.
    public var details: [[String]]
    /// Bytes used by all image layers (`LayersSize` in `/system/df`).
    public var layersSize: Int64

    public init(driver: String, details: [[String]], layersSize: Int64) {
        self.driver = driver
        self.details = details
        self.layersSize = layersSize
    }
}
