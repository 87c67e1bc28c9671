/// Requests the `graphdriver` child answers.
public protocol GraphDriverService: Sendable {
    /// The storage driver in use and its status lines (`Driver`, `DriverStatus` in `/info`): cheap.
    func status() async throws -> StorageDriverStatus
    /// Bytes used by all image layers (`LayersSize` in `/system/df`): walks the snapshotter's files.
    func layersSize() async throws -> Int64
    /// Unpacks an image's layers, bottom first, into committed snapshots named by their chain IDs.
    func unpack(_ layers: [LayerUnpack], lease: String?) async throws
    /// Prepares the read-write layer of a container on top of an image's top snapshot (`nil`: an image
    /// without layers); preparing an existing layer again is a no-op.
    func prepareContainerLayer(_ containerID: String, parentChainID: String?) async throws
    /// Mounts a container's read-write layer (with the image below it) at `path`, unless something is
    /// mounted there already.
    func mountContainerLayer(_ containerID: String, at path: String) async throws
    /// Unmounts what is mounted at `path` (lazily, so a busy mount never blocks); nothing mounted is no error.
    func unmount(_ path: String) async throws
    /// Removes a container's read-write layer; a missing one is not an error.
    func removeContainerLayer(_ containerID: String) async throws
    /// The bytes a container's read-write layer uses on disk (`SizeRw`).
    func containerLayerSize(_ containerID: String) async throws -> Int64
    /// Where a container's changes live, for `docker diff` and `docker commit`.
    func containerLayerPaths(_ containerID: String) async throws -> ContainerLayerPaths
}

/// The directories behind a container's layer. With overlayfs, `upper` holds the changes and `lowers`
/// the image (top first); with the native snapshotter, `upper` is the whole root and `lowers` is the
/// image's root, to compare against.
public struct ContainerLayerPaths: Sendable, Codable, Hashable {
    public var driver: String
    public var upper: String
    public var lowers: [String]

    public init(driver: String, upper: String, lowers: [String]) {
        self.driver = driver
        self.upper = upper
        self.lowers = lowers
    }
}

public struct StorageDriverStatus: Sendable, Codable, Hashable {
    /// The containerd snapshotter: `overlayfs` or `native`.
    public var driver: String
    /// Name–value pairs, in the order `docker info` prints them.
    public var details: [[String]]

    public init(driver: String, details: [[String]]) {
        self.driver = driver
        self.details = details
    }
}
