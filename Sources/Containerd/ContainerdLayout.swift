import Foundation

/// Where berthd's own containerd keeps its files: its root under the data-root, its state, sockets and
/// pidfile under the exec-root, so that two berthd on one host never share a containerd.
struct ContainerdLayout: Sendable {
    let root: String
    let state: String
    let socket: String
    let configFile: String
    let pidfile: String
    let logFile: String

    init(dataRoot: String, execRoot: String) {
        root = dataRoot + "/containerd"
        state = execRoot + "/containerd"
        socket = state + "/containerd.sock"
        configFile = state + "/config.toml"
        pidfile = state + "/containerd.pid"
        logFile = root + "/containerd.log"
    }

    /// Plugins berthd does not use: CRI, the snapshotters other than overlayfs and native (aufs tries
    /// `modprobe` at every boot) and tracing. Fewer plugins, a shorter boot. (The v1 runtime stays: the
    /// tasks service refuses to load without it.)
    static let disabledPlugins = [
        "io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
        "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
        "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp",
    ]

    /// containerd's configuration (version 2): our paths, and only the plugins berthd uses.
    var config: String {
        """
        version = 2
        root = "\(root)"
        state = "\(state)"
        disabled_plugins = [\(Self.disabledPlugins.map { "\"\($0)\"" }.joined(separator: ", "))]

        [grpc]
          address = "\(socket)"

        [ttrpc]
          address = "\(socket).ttrpc"

        [debug]
          address = "\(state)/debug.sock"

        [metrics]
          address = ""

        """
    }

    /// Creates the directories and writes the configuration file.
    func prepare() throws {
        let files = FileManager.default
        try files.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        try files.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    }
}
