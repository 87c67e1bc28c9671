/// Requests the `volumes` child answers.
public protocol VolumesService: Sendable {
    /// Every volume with its size and reference count, for `/system/df`.
    func diskUsage() async throws -> [VolumeUsage]
}

public struct VolumeUsage: Sendable, Codable, Hashable {
    public var name: String
    public var driver: String
    public var mountpoint: String
    public var createdAt: String
    public var labels: [String: String]
    public var scope: String
    public var size: Int64
    public var refCount: Int64

    public init(name: String, driver: String, mountpoint: String, createdAt: String, labels: [String: String], scope: String, size: Int64, refCount: Int64) {
        self.name = name
        self.driver = driver
        self.mountpoint = mountpoint
        self.createdAt = createdAt
        self.labels = labels
        self.scope = scope
        self.size = size
        self.refCount = refCount
    }
}
