import Messages

/// A container's mount list, put together as Docker does it: the default kernel filesystems, then the
/// user's mounts (volumes and binds, `--tmpfs`, the network files) shallowest first. A user mount replaces
/// the default at its destination, and one at `/dev` replaces everything under it.
struct MountPlan {
    /// Where `--init`'s binary appears inside the container.
    static let initPath = "/sbin/docker-init"
    /// Docker's `/dev/shm` size when `ShmSize` is unset: 64 MiB.
    static let defaultShmSize: Int64 = 64 * 1024 * 1024

    /// Default mounts that stay writable on a read-only root filesystem.
    private static let writableOnReadonlyRoot: Set<String> = ["/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev"]

    var shmSize: Int64 = defaultShmSize
    /// No `/dev/shm` (`IpcMode: none`).
    var withoutShm = false
    var initBinary: String?
    var readonlyRoot = false
    var privileged = false
    /// `HostConfig.Tmpfs`: destination → options.
    var tmpfs: [String: String] = [:]
    var networkFiles = NetworkFiles()
    var additional: [RuntimeSpec.Mount] = []

    func mounts() throws -> [RuntimeSpec.Mount] {
        let user = try userMounts()
        let userDestinations = Set(user.map(\.destination))
        let replacesDev = userDestinations.contains("/dev")
        let defaults = defaultMounts().filter { mount in
            !userDestinations.contains(mount.destination) && !(replacesDev && mount.destination.hasPrefix("/dev/"))
        }.map { mount in
            var mount = mount
            if readonlyRoot && !Self.writableOnReadonlyRoot.contains(mount.destination) && !mount.options.contains("ro") {
                mount.options.append("ro")
            }
            if privileged && (mount.destination == "/sys" || mount.type == "cgroup") {
                mount.options.removeAll { $0 == "ro" }
            }
            return mount
        }
        return defaults + user
    }

    /// The kernel filesystems every container gets, and the init binary.
    private func defaultMounts() -> [RuntimeSpec.Mount] {
        var mounts = [
            RuntimeSpec.Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            RuntimeSpec.Mount(
                destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            RuntimeSpec.Mount(
                destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            RuntimeSpec.Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            RuntimeSpec.Mount(
                destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["ro", "nosuid", "noexec", "nodev"]),
            RuntimeSpec.Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        ]
        if !withoutShm {
            mounts.append(
                RuntimeSpec.Mount(
                    destination: "/dev/shm", type: "tmpfs", source: "shm",
                    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=\(shmSize)"]))
        }
        if let initBinary {
            mounts.append(RuntimeSpec.Mount(destination: Self.initPath, type: "bind", source: initBinary, options: ["bind", "ro"]))
        }
        return mounts
    }

    /// The user's mounts, shallowest destination first (in given order among equals), so a mount on a
    /// path comes before mounts below it.
    private func userMounts() throws -> [RuntimeSpec.Mount] {
        let tmpfsMounts = try tmpfs.keys.sorted().map { destination in
            guard destination != "/" else {
                throw EngineError.invalidArgument("invalid specification: destination can't be '/'")
            }
            guard destination.hasPrefix("/") else {
                throw EngineError.invalidArgument("invalid mount path: '\(destination)' mount path must be absolute")
            }
            return RuntimeSpec.Mount(
                destination: destination, type: "tmpfs", source: "tmpfs", options: try TmpfsOptions.merged(with: tmpfs[destination] ?? ""))
        }
        let taken = Set(additional.map(\.destination))
        let fileOptions = readonlyRoot ? ["rbind", "ro", "rprivate"] : ["rbind", "rprivate"]
        let files = [
            ("/etc/resolv.conf", networkFiles.resolvConf), ("/etc/hostname", networkFiles.hostname),
            ("/etc/hosts", networkFiles.hosts),
        ].compactMap { destination, source in
            source.flatMap { taken.contains(destination) ? nil : RuntimeSpec.Mount(destination: destination, type: "bind", source: $0, options: fileOptions) }
        }
        let mounts = additional + tmpfsMounts + files
        return mounts.enumerated().sorted { lhs, rhs in
            let (left, right) = (Self.depth(lhs.element.destination), Self.depth(rhs.element.destination))
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func depth(_ path: String) -> Int {
        path.split(separator: "/").count
    }
}
