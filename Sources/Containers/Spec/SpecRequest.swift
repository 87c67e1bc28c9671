import Messages

/// Everything the daemon knows about one container that goes into its runtime spec.
///
/// The caller has merged the image's configuration into `config` (`Env`, `User`, `WorkingDir`, …) and
/// resolved the command into `args`; volumes and binds arrive as ready `additionalMounts`.
public struct SpecRequest: Sendable {
    public var containerID: String
    public var config: ContainerConfig
    public var hostConfig: HostConfig
    /// The command line: Entrypoint followed by Cmd.
    public var args: [String]
    /// The mounted root filesystem (`root.path`); its `/etc/passwd` and `/etc/group` resolve `User`.
    public var rootfsPath: String
    public var namespaces: NamespaceModes
    /// Host files bind-mounted at `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`.
    public var networkFiles: NetworkFiles
    /// Volumes, binds and `--mount`s, already resolved; like Docker's they replace a default mount at the
    /// same destination.
    public var additionalMounts: [RuntimeSpec.Mount]
    /// The daemon's `seccomp-profile` setting: a profile file in Docker's format, `unconfined` for none,
    /// `nil` or `builtin` for ``SeccompProfile/builtin``.
    public var seccompProfilePath: String?
    /// The binary `--init` runs as PID 1 (mounted at `/sbin/docker-init`). It must be static to run in any
    /// image: Debian's `/usr/bin/tini-static`.
    public var initBinary: String?
    /// The cgroup parent when `HostConfig.CgroupParent` is unset; the container's cgroup is `<parent>/<id>`.
    public var cgroupParent: String

    public init(
        containerID: String, config: ContainerConfig, hostConfig: HostConfig, args: [String], rootfsPath: String,
        namespaces: NamespaceModes = NamespaceModes(), networkFiles: NetworkFiles = NetworkFiles(),
        additionalMounts: [RuntimeSpec.Mount] = [], seccompProfilePath: String? = nil, initBinary: String? = nil,
        cgroupParent: String = SpecRequest.defaultCgroupParent
    ) {
        self.containerID = containerID
        self.config = config
        self.hostConfig = hostConfig
        self.args = args
        self.rootfsPath = rootfsPath
        self.namespaces = namespaces
        self.networkFiles = networkFiles
        self.additionalMounts = additionalMounts
        self.seccompProfilePath = seccompProfilePath
        self.initBinary = initBinary
        self.cgroupParent = cgroupParent
    }
}

extension SpecRequest {
    /// Where containers' cgroups go unless `HostConfig.CgroupParent` says otherwise.
    public static let defaultCgroupParent = "/berth"
}

/// Host paths of the files that make up a container's view of its network identity.
public struct NetworkFiles: Sendable, Equatable {
    public var hostname: String?
    public var hosts: String?
    public var resolvConf: String?

    public init(hostname: String? = nil, hosts: String? = nil, resolvConf: String? = nil) {
        self.hostname = hostname
        self.hosts = hosts
        self.resolvConf = resolvConf
    }
}
