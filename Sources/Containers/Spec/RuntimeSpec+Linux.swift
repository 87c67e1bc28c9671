extension RuntimeSpec {
    /// The Linux-specific part: namespaces, cgroup, devices and the security fences.
    public struct Linux: Sendable, Codable, Equatable {
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?
        public var sysctl: [String: String]?
        public var resources: Resources
        public var cgroupsPath: String
        public var namespaces: [Namespace]
        public var devices: [Device]
        public var seccomp: Seccomp?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
    }

    public struct IDMapping: Sendable, Codable, Equatable {
        public var containerID: UInt32
        public var hostID: UInt32
        public var size: UInt32
    }

    /// `type` is `pid`, `network`, `mount`, `ipc`, `uts`, `user` or `cgroup`; a `path` joins an existing
    /// namespace instead of creating one.
    public struct Namespace: Sendable, Codable, Equatable {
        public var type: String
        public var path: String?
    }

    /// A device node runc creates inside the container's `/dev`.
    public struct Device: Sendable, Codable, Equatable {
        public var path: String
        /// `c` or `b`.
        public var type: String
        public var major: Int64
        public var minor: Int64
        public var fileMode: UInt32?
        public var uid: UInt32?
        public var gid: UInt32?
    }

    /// The cgroup settings. Absent members leave the kernel's defaults.
    public struct Resources: Sendable, Codable, Equatable {
        public var devices: [DeviceRule]
        public var memory: Memory?
        public var cpu: CPU?
        public var pids: Pids?
        public var blockIO: BlockIO?
    }

    /// One devices-cgroup rule; rules apply in order. `major`/`minor` `nil` (or -1) mean any.
    public struct DeviceRule: Sendable, Codable, Equatable {
        public var allow: Bool
        /// `a`, `c` or `b`; `nil` means all.
        public var type: String?
        public var major: Int64?
        public var minor: Int64?
        /// Some of `rwm`.
        public var access: String?
    }

    public struct Memory: Sendable, Codable, Equatable {
        public var limit: Int64?
        public var reservation: Int64?
        /// Memory plus swap; -1 is unlimited.
        public var swap: Int64?
        public var swappiness: UInt64?
        public var disableOOMKiller: Bool?
    }

    public struct CPU: Sendable, Codable, Equatable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?
        public var realtimePeriod: UInt64?
        public var cpus: String?
        public var mems: String?
    }

    public struct Pids: Sendable, Codable, Equatable {
        /// -1 is unlimited.
        public var limit: Int64
    }

    public struct BlockIO: Sendable, Codable, Equatable {
        public var weight: UInt16?
    }
}
