import Foundation
import Messages

/// The body of `GET /info`, in the shape `docker info` prints.
enum InfoDocument {
    /// What the children answered.
    struct Parts {
        var containers: ContainerCounts
        var images: Int
        var driver: StorageDriverStatus
        var plugins: PluginInventory
        var network: NetworkOverview
        var runtime: RuntimeVersions
        var config: DaemonConfig
        var listeners: Int
    }

    static func make(facts: DaemonFacts, parts: Parts) -> JSONValue {
        let config = parts.config
        let cgroupV1 = facts.cgroupVersion == "1"
        return [
            "ID": .string(facts.id),
            "Containers": .from(parts.containers.total),
            "ContainersRunning": .from(parts.containers.running),
            "ContainersPaused": .from(parts.containers.paused),
            "ContainersStopped": .from(parts.containers.stopped),
            "Images": .from(parts.images),
            "Driver": .string(parts.driver.driver),
            "DriverStatus": .array(parts.driver.details.map { .from($0) }),
            "Plugins": [
                "Volume": .from(parts.plugins.volume), "Network": .from(parts.plugins.network),
                "Authorization": parts.plugins.authorization.isEmpty ? .null : .from(parts.plugins.authorization),
                "Log": .from(parts.plugins.log),
            ],
            "MemoryLimit": true,
            "SwapLimit": .bool(cgroupV1),
            "CpuCfsPeriod": true,
            "CpuCfsQuota": true,
            "CPUShares": true,
            "CPUSet": true,
            "PidsLimit": true,
            "IPv4Forwarding": true,
            "BridgeNfIptables": true,
            "BridgeNfIp6tables": true,
            "Debug": .bool(config.debug),
            "NFd": .from(openFileCount()),
            "OomKillDisable": .bool(cgroupV1),
            "NGoroutines": 0,
            "SystemTime": .string(UnixTime.rfc3339(nano: UnixTime.nowNano)),
            "LoggingDriver": .string(config.logDriver),
            "CgroupDriver": .string(facts.cgroupDriver),
            "CgroupVersion": .string(facts.cgroupVersion),
            "NEventsListener": .from(parts.listeners),
            "KernelVersion": .string(facts.kernelVersion),
            "OperatingSystem": .string(facts.operatingSystem),
            "OSVersion": .string(facts.osVersion),
            "OSType": "linux",
            "Architecture": .string(facts.architecture),
            "IndexServerAddress": "https://index.docker.io/v1/",
            "RegistryConfig": registryConfig(config),
            "NCPU": .from(facts.cpus),
            "MemTotal": .int(facts.memoryBytes),
            "GenericResources": nil,
            "DockerRootDir": .string(config.dataRoot),
            "HttpProxy": "",
            "HttpsProxy": "",
            "NoProxy": "",
            "Name": .string(facts.hostname),
            "Labels": .from(config.labels),
            "ExperimentalBuild": false,
            "ServerVersion": .string(facts.version),
            "Runtimes": ["runc": ["path": "runc"], "io.containerd.runc.v2": ["path": "runc"]],
            "DefaultRuntime": "runc",
            "Swarm": [
                "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": false, "Error": "",
                "RemoteManagers": nil,
            ],
            "LiveRestoreEnabled": .bool(config.liveRestore),
            "Isolation": "",
            "InitBinary": "docker-init",
            "ContainerdCommit": ["ID": .string(parts.runtime.containerdRevision)],
            "RuncCommit": ["ID": .string(parts.runtime.runcCommit)],
            "InitCommit": ["ID": ""],
            "SecurityOptions": .from(["name=seccomp,profile=builtin"]),
            "DefaultAddressPools": .array(parts.network.addressPools.map { ["Base": .string($0.base), "Size": .from($0.size)] }),
            "CDISpecDirs": [],
            "Containerd": [
                "Address": .string(parts.runtime.containerdAddress),
                "Namespaces": ["Containers": "berth", "Plugins": "berth-plugins"],
            ],
            "Warnings": .from(warnings(facts: facts, config: config)),
        ]
    }

    private static func registryConfig(_ config: DaemonConfig) -> JSONValue {
        [
            "AllowNondistributableArtifactsCIDRs": [],
            "AllowNondistributableArtifactsHostnames": [],
            "InsecureRegistryCIDRs": .from(["127.0.0.0/8"] + config.insecureRegistries),
            "IndexConfigs": [
                "docker.io": ["Name": "docker.io", "Mirrors": .from(config.registryMirrors), "Secure": true, "Official": true],
            ],
            "Mirrors": .from(config.registryMirrors),
        ]
    }

    private static func warnings(facts: DaemonFacts, config: DaemonConfig) -> [String] {
        let tcp = config.effectiveHosts.filter { $0.hasPrefix("tcp://") }
        return tcp.map { "WARNING: API is accessible on \($0) without encryption." }
    }

    /// berthd's open file descriptors. Since Linux 6.2 the size of `/proc/self/fd` is their count, one
    /// stat(2); older kernels say 0 there, and the entries are counted with readdir (the listing's own
    /// descriptor among them).
    private static func openFileCount() -> Int {
        var status = stat()
        if stat("/proc/self/fd", &status) == 0, status.st_size > 0 { return Int(status.st_size) }
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != CChar(UInt8(ascii: ".")) { count += 1 }
        }
        return count
    }
}
