import Foundation
import Messages

extension RuntimeSpecBuilder {
    func linux(_ request: SpecRequest, capabilities: [String], security: SecurityOptions) throws -> RuntimeSpec.Linux {
        let hostConfig = request.hostConfig
        let privileged = hostConfig.Privileged ?? false
        let resources = hostConfig.resources
        let (devices, deviceRules) = try devices(hostConfig)
        return RuntimeSpec.Linux(
            sysctl: try sysctls(request),
            resources: RuntimeSpec.Resources(
                devices: deviceRules, memory: try ResourceLimits.memory(resources),
                cpu: try ResourceLimits.cpu(resources, cpuCount: host.cpuCount), pids: ResourceLimits.pids(resources),
                blockIO: try ResourceLimits.blockIO(resources, supported: host.supportsBlkioWeight)),
            cgroupsPath: cgroupsPath(request),
            namespaces: try namespaces(request),
            devices: devices,
            seccomp: privileged ? nil : try seccomp(request, capabilities: capabilities, security: security),
            maskedPaths: hostConfig.MaskedPaths ?? (privileged ? nil : SystemPaths.masked),
            readonlyPaths: hostConfig.ReadonlyPaths ?? (privileged ? nil : SystemPaths.readonly))
    }

    /// Docker's network defaults in a new network namespace, overridden by the container's own.
    private func sysctls(_ request: SpecRequest) throws -> [String: String]? {
        let own = request.hostConfig.Sysctls ?? [:]
        try SysctlPolicy.validate(own, namespaces: request.namespaces)
        let defaults = request.namespaces.network == .private ? host.networkSysctls : [:]
        let sysctls = defaults.merging(own) { _, own in own }
        return sysctls.isEmpty ? nil : sysctls
    }

    private func cgroupsPath(_ request: SpecRequest) -> String {
        Self.cgroupsPath(containerID: request.containerID, hostConfig: request.hostConfig, defaultParent: request.cgroupParent)
    }

    /// `<parent>/<id>`: the parent is `HostConfig.CgroupParent` when set.
    static func cgroupsPath(containerID: String, hostConfig: HostConfig, defaultParent: String) -> String {
        let parent = hostConfig.CgroupParent.flatMap { $0.isEmpty ? nil : $0 } ?? defaultParent
        return (parent.hasSuffix("/") ? String(parent.dropLast()) : parent) + "/" + containerID
    }

    /// In Docker's order; a host namespace is left out, a joined one carries its path. The cgroup
    /// namespace is private by default on cgroup v2 only, as Docker's.
    private func namespaces(_ request: SpecRequest) throws -> [RuntimeSpec.Namespace] {
        let modes = request.namespaces
        let kinds: [(String, NamespaceMode)] = [
            ("mount", .private), ("network", modes.network), ("uts", modes.uts), ("pid", modes.pid), ("ipc", modes.ipc),
        ]
        var namespaces = kinds.compactMap { type, mode -> RuntimeSpec.Namespace? in
            switch mode {
            case .private: RuntimeSpec.Namespace(type: type)
            case .host: nil
            case .join(let path): RuntimeSpec.Namespace(type: type, path: path)
            }
        }
        switch request.hostConfig.CgroupnsMode ?? "" {
        case "private": namespaces.append(RuntimeSpec.Namespace(type: "cgroup"))
        case "host": break
        case "": if host.cgroupV2 { namespaces.append(RuntimeSpec.Namespace(type: "cgroup")) }
        case let mode: throw EngineError.invalidArgument("invalid cgroup namespace mode: \(mode)")
        }
        return namespaces
    }

    /// `--device` nodes and the rules for them; with `--privileged`, every host device and no fence.
    private func devices(_ hostConfig: HostConfig) throws -> ([RuntimeSpec.Device], [RuntimeSpec.DeviceRule]) {
        let mappings = hostConfig.Devices ?? []
        if hostConfig.Privileged == true {
            // A mapping to another path adds a second node for the device; its permissions are moot.
            let moved = mappings.filter { mapping in mapping.PathInContainer.map { !$0.isEmpty && $0 != mapping.PathOnHost } ?? false }
            let movedNodes = try moved.flatMap { mapping in
                try DeviceNodes.mapping(
                    DeviceMapping(pathOnHost: mapping.PathOnHost, pathInContainer: mapping.PathInContainer, cgroupPermissions: "rwm")).0
            }
            return (DeviceNodes.hostDevices() + movedNodes, DeviceNodes.allowAll)
        }
        var devices: [RuntimeSpec.Device] = []
        var rules = DeviceNodes.defaultRules
        for mapping in mappings {
            let (nodes, allowed) = try DeviceNodes.mapping(mapping)
            devices += nodes
            rules += allowed
        }
        rules += try DeviceNodes.cgroupRules(hostConfig.DeviceCgroupRules ?? [])
        return (devices, rules)
    }

    private func seccomp(_ request: SpecRequest, capabilities: [String], security: SecurityOptions) throws -> RuntimeSpec.Seccomp? {
        switch security.seccomp {
        case .unconfined:
            return nil
        case .profile(let json):
            return try SeccompProfile.decode(Data(json.utf8)).filter(capabilities: capabilities, host: host)
        case .daemonDefault:
            return try daemonProfile(request.seccompProfilePath)?.filter(capabilities: capabilities, host: host)
        }
    }

    /// The daemon's `seccomp-profile`; a file that cannot be used is the daemon's fault, not the client's.
    private func daemonProfile(_ path: String?) throws -> SeccompProfile? {
        switch path {
        case nil, "", "builtin": return .builtin
        case "unconfined": return nil
        case let path?:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw EngineError.internal("opening seccomp profile (\(path)) failed: cannot read the file")
            }
            do {
                return try SeccompProfile.decode(data)
            } catch let error as EngineError {
                throw EngineError.internal("seccomp profile (\(path)): \(error.message)")
            }
        }
    }
}
