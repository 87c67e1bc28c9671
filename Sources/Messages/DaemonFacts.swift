#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Facts about the host and this daemon process that do not change while it runs.
public struct DaemonFacts: Sendable, Codable, Hashable {
    public var id: String
    public var hostname: String
    public var version: String
    public var gitCommit: String
    public var kernelVersion: String
    public var operatingSystem: String
    public var osVersion: String
    public var architecture: String
    public var cpus: Int
    public var memoryBytes: Int64
    /// "1" or "2".
    public var cgroupVersion: String
    public var cgroupDriver: String
    public var startedAtNano: Int64

    public init(
        id: String, hostname: String, version: String, gitCommit: String, kernelVersion: String,
        operatingSystem: String, osVersion: String, architecture: String, cpus: Int, memoryBytes: Int64,
        cgroupVersion: String, cgroupDriver: String, startedAtNano: Int64
    ) {
        self.id = id
        self.hostname = hostname
        self.version = version
        self.gitCommit = gitCommit
        self.kernelVersion = kernelVersion
        self.operatingSystem = operatingSystem
        self.osVersion = osVersion
        self.architecture = architecture
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.cgroupVersion = cgroupVersion
        self.cgroupDriver = cgroupDriver
        self.startedAtNano = startedAtNano
    }
}

extension DaemonFacts {
    /// The host's node name (`uname -n`), which dockerd reports as its name and gives containers on the
    /// host network. Foundation's `hostName` differs: it resolves the host's addresses first.
    public static func nodeName() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
