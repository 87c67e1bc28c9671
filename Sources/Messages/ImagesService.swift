/// Requests the `images` child answers.
public protocol ImagesService: Sendable {
    /// How many images exist (`Images` in `/info`).
    func imageCount() async throws -> Int
    /// Every image with its sizes, for `/system/df`.
    func diskUsage() async throws -> [ImageUsage]
}

public struct ImageUsage: Sendable, Codable, Hashable {
    public var id: String
    public var parentID: String
    public var repoTags: [String]
    public var repoDigests: [String]
    public var created: Int64
    public var size: Int64
    public var sharedSize: Int64
    public var containers: Int64
    public var labels: [String: String]

    public init(id: String, parentID: String, repoTags: [String], repoDigests: [String], created: Int64, size: Int64, sharedSize: Int64, containers: Int64, labels: [String: String]) {
        self.id = id
        self.parentID = parentID
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.created = created
        self.size = size
        self.sharedSize = sharedSize
        self.containers = containers
        self.labels = labels
    }
}
