/// berthd's configuration after merging `daemon.json` and flags. Key names follow dockerd's.
public struct DaemonConfig: Sendable, Codable, Hashable {
    public var dataRoot = "/var/lib/berth"
    public var execRoot = "/run/berth"
    public var hosts: [String] = []
    public var pidfile = ""
    public var debug = false
    public var logLevel = "info"
    /// An existing containerd's gRPC socket; empty means berthd starts and supervises its own.
    public var containerd = ""
    /// Seconds to wait for a graceful shutdown.
    public var shutdownTimeout = 15
    public var liveRestore = false
    public var labels: [String] = []
    public var maxConcurrentDownloads = 3
    public var maxConcurrentUploads = 5
    public var storageDriver = ""
    public var insecureRegistries: [String] = []
    public var registryMirrors: [String] = []
    /// The default bridge network's device.
    public var bridge = "berth0"
    public var bip = ""
    /// Inter-container communication on the default bridge.
    public var icc = true
    /// Leave the FORWARD policy alone when berthd turns IP forwarding on.
    public var ipForwardNoDrop = false
    public var defaultAddressPools: [AddressPool] = []
    public var logDriver = "json-file"
    public var logOpts: [String: String] = [:]
    public var seccompProfile = ""
    public var authorizationPlugins: [String] = []
    /// Where legacy plugins' sockets are looked for (`NAME.sock` or `NAME/NAME.sock`).
    public var pluginSocketDirs = ["/run/docker/plugins"]
    /// Where legacy plugins' spec files (`NAME.spec`, `NAME.json`) are looked for.
    public var pluginSpecDirs = ["/etc/docker/plugins", "/usr/lib/docker/plugins"]
    public var faultInjection = false

    public init() {}

    /// The socket berthd listens on when no host is configured.
    public static let defaultSocket = "unix:///run/berth/berth.sock"

    /// The hosts to listen on: the configured ones, else the default socket.
    public var effectiveHosts: [String] { hosts.isEmpty ? [Self.defaultSocket] : hosts }

    /// The pidfile: the configured one, else `berthd.pid` in the exec-root.
    public var effectivePidfile: String { pidfile.isEmpty ? execRoot + "/berthd.pid" : pidfile }
}
