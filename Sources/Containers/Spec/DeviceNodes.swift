import Foundation
import Glibc
import Messages

/// Device nodes a container gets and the devices-cgroup rules that let it use them.
///
/// By default runc creates null, zero, full, random, urandom, tty, console and ptmx itself, and the
/// rules allow just those (plus `mknod` of any node, and the pty slaves) and deny the rest. `--device`
/// adds host nodes, stat'ed here; `--privileged` adds every node in the host's `/dev` and allows all.
enum DeviceNodes {
    /// Docker's default rules, with what runc always grants spelled out.
    static let defaultRules: [RuntimeSpec.DeviceRule] = {
        let allowed: [(String, Int64?, Int64?, String)] = [
            ("c", nil, nil, "m"), ("b", nil, nil, "m"),
            ("c", 1, 3, "rwm"), ("c", 1, 5, "rwm"), ("c", 1, 7, "rwm"), ("c", 1, 8, "rwm"), ("c", 1, 9, "rwm"),
            ("c", 5, 0, "rwm"), ("c", 5, 1, "rwm"), ("c", 5, 2, "rwm"), ("c", 136, nil, "rwm"),
        ]
        return [RuntimeSpec.DeviceRule(allow: false, access: "rwm")]
            + allowed.map { RuntimeSpec.DeviceRule(allow: true, type: $0, major: $1 ?? -1, minor: $2 ?? -1, access: $3) }
    }()

    static let allowAll = [RuntimeSpec.DeviceRule(allow: true, access: "rwm")]

    /// The nodes for one `--device` and the rules allowing them: the host path (a symlink followed) is a
    /// device node, or a directory whose nodes are all taken, mapped below `pathInContainer`.
    static func mapping(_ mapping: DeviceMapping) throws -> ([RuntimeSpec.Device], [RuntimeSpec.DeviceRule]) {
        let hostPath = mapping.PathOnHost
        let containerPath = mapping.PathInContainer.flatMap { $0.isEmpty ? nil : $0 } ?? hostPath
        let access = mapping.CgroupPermissions.flatMap { $0.isEmpty ? nil : $0 } ?? "rwm"
        guard !access.isEmpty, access.allSatisfy({ "rwm".contains($0) }) else {
            throw EngineError.invalidArgument("invalid device mode: \(access)")
        }
        let resolved = (hostPath as NSString).resolvingSymlinksInPath
        var info = stat()
        guard lstat(resolved, &info) == 0 else {
            throw gatheringError(hostPath, String(cString: strerror(errno)).lowercased())
        }
        let devices = node(at: resolved, as: containerPath).map { [$0] }
            ?? directoryNodes(under: resolved).map { path, device in
                var device = device
                device.path = containerPath + path.dropFirst(resolved.count)
                return device
            }
        guard !devices.isEmpty else { throw gatheringError(hostPath, "not a device node") }
        let rules = devices.map {
            RuntimeSpec.DeviceRule(allow: true, type: $0.type, major: $0.major, minor: $0.minor, access: access)
        }
        return (devices, rules)
    }

    /// Every device node under the host's `/dev` but the console and what runc mounts itself (`pts`,
    /// `shm`, `mqueue`, `fd`), for `--privileged`.
    static func hostDevices() -> [RuntimeSpec.Device] {
        directoryNodes(under: "/dev", skipping: ["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev", "console"])
            .map(\.device)
    }

    /// `HostConfig.DeviceCgroupRules` such as `c 13:* rwm`.
    static func cgroupRules(_ rules: [String]) throws -> [RuntimeSpec.DeviceRule] {
        try rules.map { rule in
            let fields = rule.split(separator: " ", omittingEmptySubsequences: false)
            let numbers = fields.count == 3 ? fields[1].split(separator: ":", omittingEmptySubsequences: false) : []
            guard fields.count == 3, ["a", "b", "c"].contains(fields[0]), numbers.count == 2,
                let major = number(numbers[0]), let minor = number(numbers[1]),
                (1...3).contains(fields[2].count), fields[2].allSatisfy({ "rwm".contains($0) })
            else {
                throw EngineError.invalidArgument("invalid device cgroup rule format: '\(rule)'")
            }
            return RuntimeSpec.DeviceRule(allow: true, type: String(fields[0]), major: major, minor: minor, access: String(fields[2]))
        }
    }

    /// A major or minor number, -1 for `*`.
    private static func number(_ text: Substring) -> Int64? {
        if text == "*" { return -1 }
        return text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) ? Int64(text) : nil
    }

    /// The node at `path` (not following a symlink), or `nil` when it is something else.
    private static func node(at path: String, as containerPath: String) -> RuntimeSpec.Device? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let type: String
        switch info.st_mode & S_IFMT {
        case S_IFCHR: type = "c"
        case S_IFBLK: type = "b"
        default: return nil
        }
        let device = UInt64(info.st_rdev)
        return RuntimeSpec.Device(
            path: containerPath, type: type,
            major: Int64(((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)),
            minor: Int64((device & 0xff) | ((device >> 12) & ~0xff)),
            fileMode: UInt32(info.st_mode & 0o7777), uid: info.st_uid, gid: info.st_gid)
    }

    /// The device nodes below `directory`, by host path, not entering the names in `skipping`.
    private static func directoryNodes(under directory: String, skipping: Set<String> = []) -> [(path: String, device: RuntimeSpec.Device)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().filter { !skipping.contains($0) }.flatMap { name -> [(path: String, device: RuntimeSpec.Device)] in
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return [] }
            if info.st_mode & S_IFMT == S_IFDIR { return directoryNodes(under: path) }
            guard let device = node(at: path, as: path) else { return [] }
            return [(path, device)]
        }
    }

    private static func gatheringError(_ path: String, _ reason: String) -> EngineError {
        .invalidArgument("error gathering device information while adding custom device \"\(path)\": \(reason)")
    }
}
