import Messages

/// How a container gets one kind of namespace. Docker's modes map onto these: `host` is ``host``,
/// `container:<id>` is ``join(path:)`` with that container's `/proc/<pid>/ns/<kind>`, and the rest
/// (`private`, `shareable`, `none`, a network name) are ``private``; see
/// ``NamespaceModes/init(hostConfig:joining:)``.
public enum NamespaceMode: Sendable, Equatable {
    /// A new namespace of its own.
    case `private`
    /// The host's namespace: none is created.
    case host
    /// The existing namespace at `path`, such as `/proc/1234/ns/net`.
    case join(path: String)
}

/// The namespace modes of one container, each ``NamespaceMode/private`` unless given.
public struct NamespaceModes: Sendable, Equatable {
    public var network: NamespaceMode
    public var ipc: NamespaceMode
    public var pid: NamespaceMode
    public var uts: NamespaceMode

    public init(
        network: NamespaceMode = .private, ipc: NamespaceMode = .private, pid: NamespaceMode = .private,
        uts: NamespaceMode = .private
    ) {
        self.network = network
        self.ipc = ipc
        self.pid = pid
        self.uts = uts
    }
}

extension NamespaceModes {
    /// The modes Docker's `NetworkMode`, `IpcMode`, `PidMode` and `UTSMode` name: `host` shares the
    /// host's, `container:<id>` joins the namespace at the path `resolve(id, kind)` gives for it (kind
    /// `net`, `ipc`, `pid` or `uts`), and anything else is private.
    public init(hostConfig: HostConfig, joining resolve: (_ container: String, _ kind: String) throws -> String) throws {
        func mode(_ setting: String?, _ kind: String) throws -> NamespaceMode {
            let setting = setting ?? ""
            if setting == "host" { return .host }
            guard setting.hasPrefix("container:") else { return .private }
            return .join(path: try resolve(String(setting.dropFirst("container:".count)), kind))
        }
        self.init(
            network: try mode(hostConfig.NetworkMode, "net"), ipc: try mode(hostConfig.IpcMode, "ipc"),
            pid: try mode(hostConfig.PidMode, "pid"), uts: try mode(hostConfig.UTSMode, "uts"))
    }
}
