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
    /// Seconds a request waits at most for a restarting child of berthd to serve again (0: not at all).
    public var childRestartWait = 5
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
    /// `--tls`: serve tcp listeners over TLS. Nil when not given: dockerd tells an explicit `false` (the
    /// opt-out for an unauthenticated non-loopback listener) from no choice.
    public var tls: Bool?
    /// `--tlsverify`: TLS, and clients must present a certificate signed by `tlscacert`. Given at all
    /// (even `false`), it turns TLS on, as in dockerd.
    public var tlsVerify: Bool?
    /// The TLS files; empty means dockerd's default, `ca.pem`, `cert.pem`, `key.pem` in `$DOCKER_CERT_PATH`
    /// or `~/.docker`.
    public var tlsCACert = ""
    public var tlsCert = ""
    public var tlsKey = ""
    /// `-G`: the group of the unix sockets. Nil means `docker` when that group exists; empty leaves the
    /// process's group.
    public var group: String?
    /// Seconds a client may take to send a request head (from the first byte, or from the connection).
    public var apiReadHeaderTimeout = 60
    /// Seconds a keep-alive connection may wait between requests.
    public var apiIdleTimeout = 180
    /// The most API connections open at once.
    public var apiMaxConnections = 1000

    public init() {}

    /// The socket berthd listens on when no host is configured.
    public static let defaultSocket = "unix:///run/berth/berth.sock"

    /// The hosts to listen on: the configured ones, else the default socket.
    public var effectiveHosts: [String] { hosts.isEmpty ? [Self.defaultSocket] : hosts }

    /// The pidfile: the configured one, else `berthd.pid` in the exec-root.
    public var effectivePidfile: String { pidfile.isEmpty ? execRoot + "/berthd.pid" : pidfile }

    /// Whether tcp listeners use TLS: `tls`, or `tlsverify` given at all (dockerd's rule).
    public var usesTLS: Bool { tls == true || tlsVerify != nil }

    /// Whether clients of tcp listeners must present a certificate signed by the CA.
    public var verifiesClients: Bool { tlsVerify == true }

    /// Whether `tls` or `tlsverify` was given: dockerd then lets a tcp listener on a non-loopback address
    /// run without client certificates, which it otherwise refuses.
    public var choseTLSExplicitly: Bool { tls != nil || tlsVerify != nil }
}
