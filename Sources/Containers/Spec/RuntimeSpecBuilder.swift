import Foundation
import Messages

/// Turns a container's configuration into the OCI runtime spec runc runs it with, the way dockerd does:
/// its defaults (capabilities, mounts, devices, seccomp, masked paths), its checks (each a 400
/// ``EngineError`` in Docker's words) and its options.
///
/// It reads the container's `/etc/passwd` and `/etc/group` and stats `--device` nodes and the
/// seccomp profile file, but changes nothing: creating the working directory, the network files and
/// the namespaces to join is the caller's work. No user namespaces, AppArmor or SELinux.
public struct RuntimeSpecBuilder: Sendable {
    public var host: SpecHost

    public init(host: SpecHost = .detect()) {
        self.host = host
    }

    /// `config.json` for the container.
    public func configJSON(for request: SpecRequest) throws -> Data {
        try spec(for: request).encoded()
    }

    /// The spec for the container, with its user resolved in its root filesystem.
    public func spec(for request: SpecRequest) throws -> RuntimeSpec {
        let hostConfig = request.hostConfig
        let user = try UserResolver.resolve(user: request.config.User, groupAdd: hostConfig.GroupAdd ?? [], rootfs: request.rootfsPath)
        return try spec(for: request, user: user)
    }

    /// Runs the checks `docker create` makes, with Docker's 400s, before the container has a root
    /// filesystem: all but `User` and `GroupAdd`, which need the image's files and are checked at start.
    public func validate(config: ContainerConfig, hostConfig: HostConfig) throws {
        // Only whether a namespace is the host's matters here, so any path stands for a joined one; the
        // init binary is the daemon's to provide at start.
        var request = SpecRequest(
            containerID: "validation", config: config, hostConfig: hostConfig, args: ["validation"], rootfsPath: "/",
            namespaces: try NamespaceModes(hostConfig: hostConfig) { _, _ in "/proc/self/ns" })
        request.initBinary = MountPlan.initPath
        _ = try spec(for: request, user: RuntimeSpec.User(uid: 0, gid: 0))
    }

    private func spec(for request: SpecRequest, user: RuntimeSpec.User) throws -> RuntimeSpec {
        let config = request.config
        let hostConfig = request.hostConfig
        let privileged = hostConfig.Privileged ?? false
        let security = try SecurityOptions(hostConfig.SecurityOpt ?? [])
        let hostname = config.Hostname.flatMap { $0.isEmpty ? nil : $0 } ?? String(request.containerID.prefix(12))
        let ownUTS = request.namespaces.uts != .host

        let capabilities = try CapabilitySet.resolve(
            adds: hostConfig.CapAdd ?? [], drops: hostConfig.CapDrop ?? [], privileged: privileged, grantable: host.capabilities)
        let process = RuntimeSpec.Process(
            terminal: config.Tty, consoleSize: consoleSize(config, hostConfig), user: user,
            args: try arguments(request), env: ProcessEnvironment.make(env: config.Env ?? [], hostname: hostname, tty: config.Tty ?? false),
            cwd: try workingDirectory(config.WorkingDir),
            capabilities: RuntimeSpec.Capabilities(
                bounding: capabilities, effective: user.uid == 0 ? capabilities : nil, permitted: user.uid == 0 ? capabilities : nil),
            rlimits: try Rlimits.make(hostConfig.Ulimits ?? [], ceilings: host.rlimitCeilings),
            noNewPrivileges: security.noNewPrivileges ? true : nil,
            oomScoreAdj: try oomScoreAdj(hostConfig.OomScoreAdj ?? 0))

        var mounts = MountPlan()
        mounts.shmSize = try shmSize(hostConfig.ShmSize)
        mounts.withoutShm = hostConfig.IpcMode == "none"
        mounts.initBinary = try usesInit(request) ? request.initBinary : nil
        mounts.readonlyRoot = hostConfig.ReadonlyRootfs ?? false
        mounts.privileged = privileged
        mounts.tmpfs = hostConfig.Tmpfs ?? [:]
        mounts.networkFiles = request.networkFiles
        mounts.additional = request.additionalMounts

        return RuntimeSpec(
            ociVersion: RuntimeSpec.version, process: process,
            root: RuntimeSpec.Root(path: request.rootfsPath, readonly: hostConfig.ReadonlyRootfs == true ? true : nil),
            hostname: ownUTS ? hostname : nil,
            domainname: ownUTS ? config.Domainname.flatMap { $0.isEmpty ? nil : $0 } : nil,
            mounts: try mounts.mounts(),
            annotations: hostConfig.Annotations.flatMap { $0.isEmpty ? nil : $0 },
            linux: try linux(request, capabilities: capabilities, security: security))
    }

    /// The command, behind `docker-init --` with `--init` in a PID namespace of its own (Docker adds no
    /// init where there already is one).
    private func arguments(_ request: SpecRequest) throws -> [String] {
        guard !request.args.isEmpty else { throw EngineError.invalidArgument("No command specified") }
        return try usesInit(request) ? [MountPlan.initPath, "--"] + request.args : request.args
    }

    private func usesInit(_ request: SpecRequest) throws -> Bool {
        guard request.hostConfig.Init == true, request.namespaces.pid == .private else { return false }
        guard request.initBinary != nil else { throw EngineError.internal("--init requested, but the daemon has no init binary") }
        return true
    }

    private func workingDirectory(_ directory: String?) throws -> String {
        guard let directory, !directory.isEmpty else { return "/" }
        guard directory.hasPrefix("/") else {
            throw EngineError.invalidArgument("the working directory '\(directory)' is invalid, it needs to be an absolute path")
        }
        return RootfsPath.clean(directory)
    }

    private func consoleSize(_ config: ContainerConfig, _ hostConfig: HostConfig) -> RuntimeSpec.ConsoleSize? {
        guard config.Tty == true, let size = hostConfig.ConsoleSize, size.count == 2, size[0] > 0 || size[1] > 0 else { return nil }
        return RuntimeSpec.ConsoleSize(height: UInt(max(size[0], 0)), width: UInt(max(size[1], 0)))
    }

    private func oomScoreAdj(_ value: Int) throws -> Int {
        guard (-1000...1000).contains(value) else {
            throw EngineError.invalidArgument("Invalid value \(value), range for oom score adj is [-1000, 1000]")
        }
        return value
    }

    private func shmSize(_ size: Int64?) throws -> Int64 {
        guard let size, size != 0 else { return MountPlan.defaultShmSize }
        guard size > 0 else { throw EngineError.invalidArgument("SHM size can not be less than 0") }
        return size
    }
}
