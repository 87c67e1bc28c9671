/// Requests the `containers` child answers.
public protocol ContainersService: Sendable {
    /// How many containers exist, by state, for `/info` and metrics.
    func counts() async throws -> ContainerCounts
    /// Every container with its sizes, for `/system/df`.
    func diskUsage() async throws -> [ContainerUsage]
}

public struct ContainerCounts: Sendable, Codable, Hashable {
    public var running: Int
    public var paused: Int
    public var stopped: Int
    public var total: Int { running + paused + stopped }

    public init(running: Int, paused: Int, stopped: Int) {
        self.running = running
        self.paused = paused
        self.stopped = stopped
    }
}

public struct ContainerUsage: Sendable, Codable, Hashable {
    public var id: String
    public var names: [String]
    public var image: String
    public var imageID: String
    public var command: String
    public var created: Int64
    public var state: String
    public var status: String
    public var sizeRw: Int64
    public var sizeRootFs: Int64
    public var labels: [String: String]

    public init(id: String, names: [String], image: String, imageID: String, command: String, created: Int64, state: String, status: String, sizeRw: Int64, sizeRootFs: Int64, labels: [String: String]) {
        self.id = id
        self.names = names
        self.image = image
        self.imageID = imageID
        self.command = command
        self.created = created
        self.state = state
        self.status = status
        self.sizeRw = sizeRw
        self.sizeRootFs = sizeRootFs
        self.labels = labels
    }
}
