import CLibCap
import Foundation

/// What the spec depends on about the machine it runs on. ``detect()`` reads it; tests build their own.
public struct SpecHost: Sendable {
    public var kernel: KernelVersion
    /// The native architecture in Go's spelling, as seccomp profiles name it: `amd64`, `arm64`.
    public var architecture: String
    /// Whether `/sys/fs/cgroup` is the unified (v2) hierarchy: containers then get a cgroup namespace.
    public var cgroupV2: Bool
    public var cpuCount: Int
    /// What `ALL` and `--privileged` grant: the capabilities the kernel knows and this daemon may pass on.
    public var capabilities: [String]
    /// Whether the cgroup v1 blkio controller has a weight file (some kernels have none): if not, a
    /// `BlkioWeight` is dropped, as Docker drops it with a warning.
    public var supportsBlkioWeight: Bool
    /// Sysctls Docker sets in a new network namespace, those of them this kernel has.
    public var networkSysctls: [String: String]
    /// The largest `--ulimit`s runc can set here.
    public var rlimitCeilings: RlimitCeilings

    public init(
        kernel: KernelVersion, architecture: String, cgroupV2: Bool, cpuCount: Int, capabilities: [String],
        supportsBlkioWeight: Bool, networkSysctls: [String: String], rlimitCeilings: RlimitCeilings = .unlimited
    ) {
        self.kernel = kernel
        self.architecture = architecture
        self.cgroupV2 = cgroupV2
        self.cpuCount = cpuCount
        self.capabilities = capabilities
        self.supportsBlkioWeight = supportsBlkioWeight
        self.networkSysctls = networkSysctls
        self.rlimitCeilings = rlimitCeilings
    }

    /// Reads this machine's facts from `/proc`, `/sys` and libcap.
    public static func detect() -> SpecHost {
        let files = FileManager.default
        let release = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? ""
        let dockerNetworkSysctls = [
            // Unprivileged ICMP echo sockets without CAP_NET_RAW, and any port without CAP_NET_BIND_SERVICE.
            "net.ipv4.ping_group_range": "0 2147483647",
            "net.ipv4.ip_unprivileged_port_start": "0",
        ]
        let cgroupV2 = files.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
        let capabilities = CapabilitySet.grantable()
        return SpecHost(
            kernel: KernelVersion(release: release) ?? KernelVersion(major: 0, minor: 0),
            architecture: nativeArchitecture,
            cgroupV2: cgroupV2,
            cpuCount: ProcessInfo.processInfo.activeProcessorCount,
            capabilities: capabilities,
            supportsBlkioWeight: cgroupV2 || ["blkio.weight", "blkio.bfq.weight"].contains { file in
                files.fileExists(atPath: "/sys/fs/cgroup/blkio/" + file)
            },
            networkSysctls: dockerNetworkSysctls.filter { name, _ in
                files.fileExists(atPath: "/proc/sys/" + name.replacingOccurrences(of: ".", with: "/"))
            },
            rlimitCeilings: .detect(canRaise: capabilities.contains("CAP_SYS_RESOURCE"))
        )
    }

    private static var nativeArchitecture: String {
        #if arch(x86_64)
            "amd64"
        #elseif arch(arm64)
            "arm64"
        #else
            "unknown"
        #endif
    }
}
