/// Requests the `containerd` child answers: the connection to containerd and the runtime versions.
public protocol ContainerdService: Sendable {
    /// The versions of containerd and runc, as `/version` and `/info` report them.
    func runtimeVersions() async throws -> RuntimeVersions
}

/// The versions of the container runtime below berthd.
public struct RuntimeVersions: Sendable, Codable, Hashable {
    public var containerdVersion: String
    public var containerdRevision: String
    public var runcVersion: String
    public var runcCommit: String
    /// The gRPC address berthd talks to.
    public var containerdAddress: String

    public init(containerdVersion: String, containerdRevision: String, runcVersion: String, runcCommit: String, containerdAddress: String) {
        self.containerdVersion = containerdVersion
        self.containerdRevision = containerdRevision
        self.runcVersion = runcVersion
        self.runcCommit = runcCommit
        self.containerdAddress = containerdAddress
    }
}
