import ArgumentParser
import Foundation
import Messages

/// `berthd`: the command line. Flags have dockerd's names; a flag and the same key in `daemon.json`
/// may not both be given.
public struct DaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "berthd",
        abstract: "Berth: a container engine that speaks the Docker Engine API.",
        version: BerthVersion.version)

    @Option(name: .long, help: "The daemon configuration file (default \(ConfigLoader.defaultPath)).")
    var configFile: String?

    @Flag(name: .long, help: "Check the configuration and exit.")
    var validate = false

    @Option(name: [.customShort("H"), .customLong("host")], help: "Where to listen: unix:///path, tcp://127.0.0.1:PORT or fd://.")
    var hosts: [String] = []

    @Option(name: .long, help: "Root of persistent state (default /var/lib/berth).")
    var dataRoot: String?

    @Option(name: .long, help: "Root of runtime state (default /run/berth).")
    var execRoot: String?

    @Option(name: [.short, .long], help: "The pid file (default <exec-root>/berthd.pid).")
    var pidfile: String?

    @Option(name: .long, help: "The socket of an existing containerd; by default berthd starts its own.")
    var containerd: String?

    @Flag(name: [.customShort("D"), .long], help: "Debug logging.")
    var debug = false

    @Option(name: [.short, .long], help: "Log level: debug, info, warn, error or fatal.")
    var logLevel: String?

    @Flag(name: .long, help: "Enable POST/DELETE /debug/faults (tests only).")
    var faultInjection = false

    @Option(name: .long, help: "Seconds to wait for a graceful shutdown.")
    var shutdownTimeout: Int?

    @Option(name: .long, help: "A daemon label key=value (repeatable).")
    var label: [String] = []

    @Flag(name: .long, help: "Keep containers running while berthd is down.")
    var liveRestore = false

    @Option(name: [.short, .customLong("storage-driver")], help: "overlayfs or native.")
    var storageDriver: String?

    @Option(name: .long, help: "Maximum parallel layer downloads per pull.")
    var maxConcurrentDownloads: Int?

    @Option(name: .long, help: "Maximum parallel layer uploads per push.")
    var maxConcurrentUploads: Int?

    @Option(name: [.customShort("b"), .long], help: "The default bridge network's device (default berth0; created when missing).")
    var bridge: String?

    @Option(name: .long, help: "The default bridge's address and subnet, like 172.30.0.1/16.")
    var bip: String?

    @Option(name: .long, help: "Inter-container communication on the default bridge (default true).")
    var icc: Bool?

    @Flag(name: .long, help: "Leave the FORWARD policy as it is when turning IP forwarding on.")
    var ipForwardNoDrop = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Use TLS on tcp listeners; implied by --tlsverify (also --tls=false).")
    var tls: Bool?

    @Flag(name: .long, inversion: .prefixedNo, help: "Use TLS and require client certificates signed by --tlscacert.")
    var tlsverify: Bool?

    @Option(name: .long, help: "Trust client certificates signed only by this CA (default ~/.docker/ca.pem).")
    var tlscacert: String?

    @Option(name: .long, help: "The server's TLS certificate (default ~/.docker/cert.pem).")
    var tlscert: String?

    @Option(name: .long, help: "The server's TLS key (default ~/.docker/key.pem).")
    var tlskey: String?

    @Option(name: [.customShort("G"), .long], help: "Group for the unix socket (default docker, when it exists).")
    var group: String?

    @Option(name: .long, help: "Seconds a client may take to send a request head (default 60).")
    var apiReadHeaderTimeout: Int?

    @Option(name: .long, help: "Seconds an idle keep-alive API connection stays open (default 180).")
    var apiIdleTimeout: Int?

    @Option(name: .long, help: "The most API connections open at once (default 1000).")
    var apiMaxConnections: Int?

    public init() {}

    /// The configuration keys given on the command line.
    var flagValues: [String: ConfigValue] {
        var values: [String: ConfigValue] = [:]
        if !hosts.isEmpty { values["hosts"] = .strings(hosts) }
        if let dataRoot { values["data-root"] = .string(Self.absolute(dataRoot)) }
        if let execRoot { values["exec-root"] = .string(Self.absolute(execRoot)) }
        if let pidfile { values["pidfile"] = .string(Self.absolute(pidfile)) }
        if let containerd { values["containerd"] = .string(containerd) }
        if debug { values["debug"] = .bool(true) }
        if let logLevel { values["log-level"] = .string(logLevel) }
        if faultInjection { values["fault-injection"] = .bool(true) }
        if let shutdownTimeout { values["shutdown-timeout"] = .int(shutdownTimeout) }
        if !label.isEmpty { values["labels"] = .strings(label) }
        if liveRestore { values["live-restore"] = .bool(true) }
        if let storageDriver { values["storage-driver"] = .string(storageDriver) }
        if let maxConcurrentDownloads { values["max-concurrent-downloads"] = .int(maxConcurrentDownloads) }
        if let maxConcurrentUploads { values["max-concurrent-uploads"] = .int(maxConcurrentUploads) }
        if let bridge { values["bridge"] = .string(bridge) }
        if let bip { values["bip"] = .string(bip) }
        if let icc { values["icc"] = .bool(icc) }
        if ipForwardNoDrop { values["ip-forward-no-drop"] = .bool(true) }

        if let tls { values["tls"] = .bool(tls) }
        if let tlsverify { values["tlsverify"] = .bool(tlsverify) }
        if let tlscacert { values["tlscacert"] = .string(Self.absolute(tlscacert)) }
        if let tlscert { values["tlscert"] = .string(Self.absolute(tlscert)) }
        if let tlskey { values["tlskey"] = .string(Self.absolute(tlskey)) }
        if let group { values["group"] = .string(group) }
        if let apiReadHeaderTimeout { values["api-read-header-timeout"] = .int(apiReadHeaderTimeout) }
        if let apiIdleTimeout { values["api-idle-timeout"] = .int(apiIdleTimeout) }
        if let apiMaxConnections { values["api-max-connections"] = .int(apiMaxConnections) }
        return values
    }

    /// The command line with dockerd's boolean forms `--tls=false` and `--tlsverify=true` (any value Go's
    /// `strconv.ParseBool` reads) rewritten as `--no-tls` and `--tlsverify`, which the parser reads.
    public static func dockerStyle(_ arguments: [String]) -> [String] {
        arguments.map { argument in
            for flag in ["tls", "tlsverify"] where argument.hasPrefix("--\(flag)=") {
                switch argument.dropFirst(flag.count + 3) {
                case "1", "t", "T", "TRUE", "true", "True": return "--\(flag)"
                case "0", "f", "F", "FALSE", "false", "False": return "--no-\(flag)"
                default: return argument
                }
            }
            return argument
        }
    }

    var loader: ConfigLoader {
        ConfigLoader(path: configFile.map(Self.absolute) ?? ConfigLoader.defaultPath, pathIsExplicit: configFile != nil, flags: flagValues)
    }

    public func run() async throws {
        try await start()
    }

    /// Loads the configuration, then validates it (`--validate`) or runs the daemon until it stops.
    public func start() async throws {
        let config: DaemonConfig
        do {
            config = try loader.load()
        } catch {
            FileHandle.standardError.write(Data("berthd: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if validate {
            print("configuration OK")
            return
        }
        let status = await Daemon(config: config, loader: loader).run()
        if status != 0 { throw ExitCode(status) }
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// The version berthd reports.
public enum BerthVersion {
    public static let version = "0.1.0"
    public static let gitCommit = "berth"
}
