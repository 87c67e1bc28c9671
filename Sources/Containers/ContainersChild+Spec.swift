import Foundation
import Messages

extension ContainersChild {
    /// The binary `--init` runs as PID 1: static, so it runs in any image (Debian's `tini` package).
    static let initBinary = "/usr/bin/tini-static"

    /// The OCI spec of a container's init process, its root mounted at `rootfs`. Creates the working
    /// directory in the root first, as Docker does.
    func makeSpec(_ record: ContainerRecord, rootfs: String, mounts: [RuntimeSpec.Mount]) async throws -> Data {
        if let workdir = record.config.WorkingDir, !workdir.isEmpty, workdir != "/" {
            let path = try ContainerRoot(path: rootfs, containerName: record.name).resolve(workdir)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        var request = try specRequest(record, rootfs: rootfs, args: [record.path] + record.args)
        request.additionalMounts = mounts
        return try specBuilder.configJSON(for: request)
    }

    /// The OCI process of an exec: the container's own process settings with the exec's command,
    /// user, working directory, environment, terminal and privileges.
    func makeExecProcess(_ record: ContainerRecord, _ exec: ExecConfig) throws -> Data {
        var execRecord = record
        if let user = exec.User, !user.isEmpty { execRecord.config.User = user }
        if let workdir = exec.WorkingDir, !workdir.isEmpty { execRecord.config.WorkingDir = workdir }
        execRecord.config.Env = (record.config.Env ?? []) + (exec.Env ?? [])
        execRecord.config.Tty = exec.Tty ?? false
        execRecord.hostConfig.ConsoleSize = exec.ConsoleSize
        if exec.Privileged == true { execRecord.hostConfig.Privileged = true }
        execRecord.hostConfig.Init = false
        let spec = try specBuilder.spec(for: specRequest(execRecord, rootfs: rootfsPath(record.id), args: exec.Cmd ?? []))
        return try JSONEncoder().encode(spec.process)
    }

    func specRequest(_ record: ContainerRecord, rootfs: String, args: [String]) throws -> SpecRequest {
        var namespaces = try NamespaceModes(hostConfig: record.hostConfig) { ref, kind in
            let other = try self.resolve(ref)
            guard other.state.status == .running || other.state.status == .paused, other.state.pid > 0 else {
                throw EngineError.conflict("cannot join the \(kind) namespace of a non running container: \(other.id)")
            }
            return "/proc/\(other.state.pid)/ns/\(kind)"
        }
        if !record.networking.sandboxKey.isEmpty { namespaces.network = .join(path: record.networking.sandboxKey) }
        return SpecRequest(
            containerID: record.id, config: record.config, hostConfig: record.hostConfig, args: args, rootfsPath: rootfs,
            namespaces: namespaces,
            networkFiles: NetworkFiles(hostname: record.hostnamePath, hosts: record.hostsPath, resolvConf: record.resolvConfPath),
            seccompProfilePath: config.seccompProfile.isEmpty ? nil : config.seccompProfile, initBinary: Self.initBinary)
    }
}
