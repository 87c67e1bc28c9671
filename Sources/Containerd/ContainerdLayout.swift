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

    /// containerd's configuration (version 2): our paths, and no CRI plugin.
    var config: String {
        """
        version = 2
        root = "\(root)"
        state = "\(state)"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]

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
