/// The host-specific part of a container's configuration: Docker's `HostConfig`. Its resource limits are
/// kept apart in `Resources` (the same members, at the same JSON level) because `docker update` changes
/// exactly those; members of either read through as `hostConfig.Memory`, `hostConfig.NetworkMode`.
///
/// A wire mirror like ``ContainerConfig``.
@dynamicMemberLookup
public struct HostConfig: Sendable, Codable, Equatable {
    public var settings: HostSettings
    public var resources: Resources

    public init(settings: HostSettings = HostSettings(), resources: Resources = Resources()) {
        self.settings = settings
        self.resources = resources
    }

    public subscript<T>(dynamicMember path: WritableKeyPath<HostSettings, T>) -> T {
        get { settings[keyPath: path] }
        set { settings[keyPath: path] = newValue }
    }

    public subscript<T>(dynamicMember path: WritableKeyPath<Resources, T>) -> T {
        get { resources[keyPath: path] }
        set { resources[keyPath: path] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        settings = try HostSettings(from: decoder)
        resources = try Resources(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        try resources.encode(to: encoder)
    }
}

/// Everything in `HostConfig` but the resource limits.
public struct HostSettings: Sendable, Codable, Equatable {
    public var Binds: [String]?
    public var ContainerIDFile: String?
    public var LogConfig: LogConfig?
    public var NetworkMode: String?
    /// Keys like `80/tcp`.
    public var PortBindings: [String: [PortBinding]?]?
    public var RestartPolicy: RestartPolicy?
    public var AutoRemove: Bool?
    public var VolumeDriver: String?
    public var VolumesFrom: [String]?
    public var Mounts: [MountSpec]?
    public var ConsoleSize: [Int]?
    public var Annotations: [String: String]?
    public var CapAdd: [String]?
    public var CapDrop: [String]?
    public var CgroupnsMode: String?
    public var Dns: [String]?
    public var DnsOptions: [String]?
    public var DnsSearch: [String]?
    public var ExtraHosts: [String]?
    public var GroupAdd: [String]?
    public var IpcMode: String?
    public var Cgroup: String?
    public var Links: [String]?
    public var OomScoreAdj: Int?
    public var PidMode: String?
    public var Privileged: Bool?
    public var PublishAllPorts: Bool?
    public var ReadonlyRootfs: Bool?
    public var SecurityOpt: [String]?
    public var StorageOpt: [String: String]?
    /// Mount point → tmpfs options (`size=64m,mode=1777`).
    public var Tmpfs: [String: String]?
    public var UTSMode: String?
    public var UsernsMode: String?
    public var ShmSize: Int64?
    public var Sysctls: [String: String]?
    public var Runtime: String?
    public var Isolation: String?
    public var MaskedPaths: [String]?
    public var ReadonlyPaths: [String]?
    /// Run `docker-init` (here Debian's `tini`) as PID 1.
    public var Init: Bool?

    public init() {}
}

/// The limits `docker update` may change on a live container.
public struct Resources: Sendable, Codable, Equatable {
    public var CpuShares: Int64?
    public var Memory: Int64?
    public var NanoCpus: Int64?
    public var CgroupParent: String?
    public var BlkioWeight: Int?
    public var BlkioWeightDevice: [JSONValue]?
    public var BlkioDeviceReadBps: [JSONValue]?
    public var BlkioDeviceWriteBps: [JSONValue]?
    public var BlkioDeviceReadIOps: [JSONValue]?
    public var BlkioDeviceWriteIOps: [JSONValue]?
    public var CpuPeriod: Int64?
    public var CpuQuota: Int64?
    public var CpuRealtimePeriod: Int64?
    public var CpuRealtimeRuntime: Int64?
    public var CpusetCpus: String?
    public var CpusetMems: String?
    public var Devices: [DeviceMapping]?
    public var DeviceCgroupRules: [String]?
    public var DeviceRequests: [JSONValue]?
    public var MemoryReservation: Int64?
    public var MemorySwap: Int64?
    public var MemorySwappiness: Int64?
    public var OomKillDisable: Bool?
    public var PidsLimit: Int64?
    public var Ulimits: [Ulimit]?

    public init() {}
}

public struct LogConfig: Sendable, Codable, Equatable {
    public var `Type`: String
    public var Config: [String: String]?

    public init(type: String, config: [String: String]? = nil) {
        self.Type = type
        self.Config = config
    }
}

public struct PortBinding: Sendable, Codable, Equatable {
    public var HostIp: String?
    public var HostPort: String?

    public init(hostIP: String? = nil, hostPort: String? = nil) {
        HostIp = hostIP
        HostPort = hostPort
    }
}

/// `no`, `always`, `unless-stopped` or `on-failure` (with at most `MaximumRetryCount` restarts; 0 = no limit).
public struct RestartPolicy: Sendable, Codable, Equatable {
    public var Name: String?
    public var MaximumRetryCount: Int?

    public init(name: String? = nil, maximumRetryCount: Int? = nil) {
        Name = name
        MaximumRetryCount = maximumRetryCount
    }
}

/// One `--mount` (`HostConfig.Mounts`).
public struct MountSpec: Sendable, Codable, Equatable {
    public var Target: String?
    public var Source: String?
    /// `bind`, `volume`, `tmpfs`.
    public var `Type`: String?
    public var ReadOnly: Bool?
    public var Consistency: String?
    public var BindOptions: JSONValue?
    public var VolumeOptions: JSONValue?
    public var TmpfsOptions: JSONValue?

    public init() {}
}

/// One `--device` (`/dev/host:/dev/container:rwm`).
public struct DeviceMapping: Sendable, Codable, Equatable {
    public var PathOnHost: String
    public var PathInContainer: String?
    public var CgroupPermissions: String?

    public init(pathOnHost: String, pathInContainer: String? = nil, cgroupPermissions: String? = nil) {
        PathOnHost = pathOnHost
        PathInContainer = pathInContainer
        CgroupPermissions = cgroupPermissions
    }
}

/// One `--ulimit name=soft:hard`.
public struct Ulimit: Sendable, Codable, Equatable {
    public var Name: String
    public var Soft: Int64
    public var Hard: Int64

    public init(name: String, soft: Int64, hard: Int64) {
        Name = name
        Soft = soft
        Hard = hard
    }
}
