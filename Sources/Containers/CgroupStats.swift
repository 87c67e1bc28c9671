import Foundation
import Messages

/// Reads a container's counters from its cgroups: v1 (one hierarchy per controller, as this machine
/// has) or v2 (one unified hierarchy).
struct CgroupStats {
    /// The container's cgroup path below each hierarchy (`/berth/<id>`).
    let path: String
    var root = "/sys/fs/cgroup"

    func sample() -> StatsSample {
        let unified = FileManager.default.fileExists(atPath: root + "/cgroup.controllers")
        return unified ? sampleV2() : sampleV1()
    }

    private func sampleV1() -> StatsSample {
        let cpuacct = root + "/cpuacct" + path
        let memory = root + "/memory" + path
        let ticks = keyed(cpuacct + "/cpuacct.stat")
        let memoryStats = keyed(memory + "/memory.stat")
        let limit = number(memory + "/memory.limit_in_bytes") ?? 0
        return StatsSample(
            readNano: UnixTime.nowNano, cpuTotal: number(cpuacct + "/cpuacct.usage") ?? 0,
            cpuPerCPU: text(cpuacct + "/cpuacct.usage_percpu").split(separator: " ").compactMap { UInt64($0) },
            cpuUser: (ticks["user"] ?? 0) * 10_000_000, cpuKernel: (ticks["system"] ?? 0) * 10_000_000, systemCPU: Self.systemCPU(),
            onlineCPUs: ProcessInfo.processInfo.activeProcessorCount, memoryUsage: number(memory + "/memory.usage_in_bytes") ?? 0,
            memoryMaxUsage: number(memory + "/memory.max_usage_in_bytes") ?? 0,
            memoryLimit: limit >= UInt64(Int64.max) / 2 ? Self.hostMemory() : limit, memoryStats: memoryStats,
            pids: number(root + "/pids" + path + "/pids.current") ?? 0, pidsLimit: number(root + "/pids" + path + "/pids.max"),
            ioServiceBytes: blockIO(root + "/blkio" + path + "/blkio.throttle.io_service_bytes"))
    }

    private func sampleV2() -> StatsSample {
        let directory = root + path
        let cpu = keyed(directory + "/cpu.stat")
        let memoryStats = keyed(directory + "/memory.stat")
        return StatsSample(
            readNano: UnixTime.nowNano, cpuTotal: (cpu["usage_usec"] ?? 0) * 1000, cpuPerCPU: [], cpuUser: (cpu["user_usec"] ?? 0) * 1000,
            cpuKernel: (cpu["system_usec"] ?? 0) * 1000, systemCPU: Self.systemCPU(), onlineCPUs: ProcessInfo.processInfo.activeProcessorCount,
            memoryUsage: number(directory + "/memory.current") ?? 0, memoryMaxUsage: 0,
            memoryLimit: number(directory + "/memory.max") ?? Self.hostMemory(), memoryStats: memoryStats,
            pids: number(directory + "/pids.current") ?? 0, pidsLimit: number(directory + "/pids.max"), ioServiceBytes: [])
    }

    private func text(_ file: String) -> String {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func number(_ file: String) -> UInt64? { UInt64(text(file)) }

    /// `name value` lines.
    private func keyed(_ file: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text(file).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = UInt64(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    private func blockIO(_ file: String) -> [BlockIOEntry] {
        text(file).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            let device = parts.first?.split(separator: ":") ?? []
            guard parts.count == 3, device.count == 2, let major = UInt64(device[0]), let minor = UInt64(device[1]), let value = UInt64(parts[2]) else {
                return nil
            }
            return BlockIOEntry(major: major, minor: minor, op: String(parts[1]), value: value)
        }
    }

    /// The host's total CPU time in nanoseconds, from the first line of /proc/stat (in USER_HZ ticks).
    static func systemCPU() -> UInt64 {
        let stat = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
        let fields = stat.prefix { $0 != "\n" }.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        return fields.prefix(7).reduce(0, +) * 10_000_000
    }

    static func hostMemory() -> UInt64 { ProcessInfo.processInfo.physicalMemory }
}

extension ContainersChild {
    public func stats(_ ref: String) async throws -> StatsSample? {
        let record = try resolve(ref)
        guard entries[record.id]?.run != nil else { return nil }
        let path = RuntimeSpecBuilder.cgroupsPath(containerID: record.id, hostConfig: record.hostConfig, defaultParent: SpecRequest.defaultCgroupParent)
        return CgroupStats(path: path).sample()
    }
}
