import Messages

/// `HostConfig`'s resource limits checked as Docker checks them at create and turned into cgroup
/// settings. Docker's adjustments carry over: swap defaults to twice the memory limit, CPU shares are
/// clamped to 2…262144, `NanoCpus` becomes a quota over a 100 ms period, a `PidsLimit` of 0 or less is
/// unlimited.
enum ResourceLimits {
    /// Docker's floor for memory limits and reservations: room for the container to start.
    static let minimumMemory: Int64 = 6 * 1024 * 1024
    private static let nanoCPUPeriod: Int64 = 100_000

    static func memory(_ resources: Resources) throws -> RuntimeSpec.Memory? {
        let limit = resources.Memory ?? 0
        let reservation = resources.MemoryReservation ?? 0
        var swap = resources.MemorySwap ?? 0
        if limit != 0 && limit < minimumMemory { throw EngineError.invalidArgument("Minimum memory limit allowed is 6MB") }
        if limit > 0 && swap == 0 {
            // Twice the limit, as dockerd; a limit past Int64.max / 2 gets the most there is.
            let (doubled, overflow) = limit.multipliedReportingOverflow(by: 2)
            swap = overflow ? .max : doubled
        }
        if limit > 0 && swap > 0 && swap < limit {
            throw EngineError.invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage")
        }
        if limit == 0 && swap > 0 {
            throw EngineError.invalidArgument("You should always set the Memory limit when using Memoryswap limit, see usage")
        }
        if reservation > 0 && reservation < minimumMemory {
            throw EngineError.invalidArgument("Minimum memory reservation allowed is 6MB")
        }
        if limit > 0 && reservation > 0 && limit < reservation {
            throw EngineError.invalidArgument(
                "Minimum memory limit can not be less than memory reservation limit, see usage")
        }
        let swappiness = resources.MemorySwappiness.flatMap { $0 == -1 ? nil : $0 }
        if let swappiness, !(0...100).contains(swappiness) {
            throw EngineError.invalidArgument("Invalid value: \(swappiness), valid memory swappiness range is 0-100")
        }
        let memory = RuntimeSpec.Memory(
            limit: limit > 0 ? limit : nil, reservation: reservation > 0 ? reservation : nil,
            swap: swap > 0 ? swap : nil, swappiness: swappiness.map { UInt64($0) },
            disableOOMKiller: resources.OomKillDisable)
        return memory == RuntimeSpec.Memory() ? nil : memory
    }

    static func cpu(_ resources: Resources, cpuCount: Int) throws -> RuntimeSpec.CPU? {
        let shares = resources.CpuShares ?? 0
        let nanoCPUs = resources.NanoCpus ?? 0
        var period = resources.CpuPeriod ?? 0
        var quota = resources.CpuQuota ?? 0
        if shares < 0 { throw EngineError.invalidArgument("shares: invalid argument") }
        if nanoCPUs > 0 && period > 0 {
            throw EngineError.invalidArgument("Conflicting options: Nano CPUs and CPU Period cannot both be set")
        }
        if nanoCPUs > 0 && quota > 0 {
            throw EngineError.invalidArgument("Conflicting options: Nano CPUs and CPU Quota cannot both be set")
        }
        if nanoCPUs < 0 || nanoCPUs > Int64(cpuCount) * 1_000_000_000 {
            throw EngineError.invalidArgument(
                "Range of CPUs is from 0.01 to \(cpuCount).00, as there are only \(cpuCount) CPUs available")
        }
        if period != 0 && !(1000...1_000_000).contains(period) {
            throw EngineError.invalidArgument(
                "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")
        }
        if quota > 0 && quota < 1000 {
            throw EngineError.invalidArgument("CPU cfs quota can not be less than 1ms (i.e. 1000)")
        }
        if nanoCPUs > 0 {
            period = nanoCPUPeriod
            quota = nanoCPUs * nanoCPUPeriod / 1_000_000_000
        }
        let cpu = RuntimeSpec.CPU(
            shares: shares > 0 ? UInt64(min(max(shares, 2), 262_144)) : nil,
            quota: quota != 0 ? quota : nil,
            period: period != 0 ? UInt64(period) : nil,
            realtimeRuntime: resources.CpuRealtimeRuntime.flatMap { $0 != 0 ? $0 : nil },
            realtimePeriod: resources.CpuRealtimePeriod.flatMap { $0 > 0 ? UInt64($0) : nil },
            cpus: resources.CpusetCpus.flatMap { $0.isEmpty ? nil : $0 },
            mems: resources.CpusetMems.flatMap { $0.isEmpty ? nil : $0 })
        return cpu == RuntimeSpec.CPU() ? nil : cpu
    }

    static func pids(_ resources: Resources) -> RuntimeSpec.Pids? {
        resources.PidsLimit.map { RuntimeSpec.Pids(limit: $0 > 0 ? $0 : -1) }
    }

    /// The block-IO weight, dropped where the kernel has no weight to set.
    static func blockIO(_ resources: Resources, supported: Bool) throws -> RuntimeSpec.BlockIO? {
        let weight = resources.BlkioWeight ?? 0
        if weight != 0 && !(10...1000).contains(weight) {
            throw EngineError.invalidArgument("Range of blkio weight is from 10 to 1000")
        }
        guard weight != 0, supported else { return nil }
        return RuntimeSpec.BlockIO(weight: UInt16(weight))
    }
}
