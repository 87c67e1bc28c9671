import Foundation
import Messages

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
    /// `modprobe` at every boot), tracing, introspection (it requires every other plugin, which makes
    /// containerd's plugin graph walk the longest part of its boot), the restart and opt plugins, the
    /// cgroups task monitor (the runc shim reports OOM kills itself) and the healthcheck and namespaces
    /// services (berthd checks health with `Version`; namespaces come into being with their first
    /// object). Fewer plugins, a shorter boot: ≈60 → ≈47 ms here. (The v1 runtime stays: the tasks
    /// service refuses to load without it.)
    static let disabledPlugins = [
        "io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
        "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
        "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp",
        "io.containerd.grpc.v1.introspection", "io.containerd.service.v1.introspection-service",
        "io.containerd.internal.v1.restart", "io.containerd.internal.v1.opt", "io.containerd.monitor.v1.cgroups",
        "io.containerd.grpc.v1.healthcheck", "io.containerd.grpc.v1.namespaces",
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

    /// Creates the directories and writes the configuration file unless it holds this configuration
    /// already; returns whether it had to (a containerd running on these roots was started otherwise).
    func prepare() throws -> Bool {
        let files = FileManager.default
        try files.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        try files.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        if (try? String(contentsOfFile: configFile, encoding: .utf8)) == config { return false }
        try UnsyncedFile.write(config, to: configFile)
        return true
    }
}
