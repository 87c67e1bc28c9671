import Messages
import Testing

@testable import Containers

/// Container settings a request can set to any `Int64` (issue 18): each is now checked as dockerd
/// checks it, or clamped where it becomes a wait, instead of trapping.
@Suite struct HostileSettingsTests {
    /// `HostConfig.Memory` = 5e18 with no swap: twice the limit is past `Int64`, so swap is unlimited.
    @Test func hugeMemoryLimitLeavesSwapUnlimited() throws {
        #expect(ResourceLimits.defaultSwap(limit: 5_000_000_000_000_000_000) == -1)
        #expect(ResourceLimits.defaultSwap(limit: Int64.max) == -1)
        #expect(ResourceLimits.defaultSwap(limit: 64 * 1024 * 1024) == 128 * 1024 * 1024)
        let spec = try SpecFixtures.spec { $1.Memory = 5_000_000_000_000_000_000 }
        #expect(spec.linux.resources.memory == RuntimeSpec.Memory(limit: 5_000_000_000_000_000_000))
    }

    /// Real-time CPU time has no budget to come from (found by the API fuzz: an update setting it made
    /// the next start fail in runc with a 500); a period alone is still passed on.
    @Test func realtimeRuntimeIsRefused() throws {
        #expect(throws: EngineError.self) { try SpecFixtures.spec { $1.CpuRealtimeRuntime = 10_000 } }
        #expect(throws: EngineError.self) { try SpecFixtures.spec { $1.CpuRealtimeRuntime = -1 } }
        #expect(throws: EngineError.self) {
            try SpecFixtures.spec { ($1.CpuRealtimeRuntime, $1.CpuRealtimePeriod) = (2_000_000, 1_000_000) }
        }
        let spec = try SpecFixtures.spec { $1.CpuRealtimePeriod = 1_000_000 }
        #expect(spec.linux.resources.cpu?.realtimePeriod == 1_000_000)
    }

    /// A `nofile` past `fs.nr_open`, or a hard limit above the daemon's own when it cannot raise it, is
    /// refused at create: runc would fail every start with it.
    @Test func ulimitsTheKernelRefusesAreRefusedAtCreate() throws {
        var host = SpecHost.fixture
        host.rlimitCeilings = RlimitCeilings(openFiles: 1_048_576, hard: ["nofile": 20_000, "core": UInt64.max, "nproc": 4096])
        func message(_ ulimit: Ulimit) -> String? {
            SpecFixtures.message { _ = try SpecFixtures.spec(host: host) { $1.Ulimits = [ulimit] } }
        }
        #expect(message(Ulimit(name: "nofile", soft: 1024, hard: 2_000_000))
            == "ulimit nofile: hard limit 2000000 is above the kernel's limit of open files per process (fs.nr_open = 1048576)")
        #expect(message(Ulimit(name: "nofile", soft: -1, hard: -1))
            == "ulimit nofile: hard limit unlimited is above the kernel's limit of open files per process (fs.nr_open = 1048576)")
        #expect(message(Ulimit(name: "nofile", soft: 1024, hard: 30_000))
            == "ulimit nofile: hard limit 30000 is above the daemon's own (20000), which it cannot raise without CAP_SYS_RESOURCE")
        #expect(message(Ulimit(name: "nproc", soft: 10, hard: -1))
            == "ulimit nproc: hard limit unlimited is above the daemon's own (4096), which it cannot raise without CAP_SYS_RESOURCE")
        #expect(message(Ulimit(name: "nofile", soft: 20_000, hard: 20_000)) == nil)
        #expect(message(Ulimit(name: "core", soft: -1, hard: -1)) == nil)
        #expect(message(Ulimit(name: "stack", soft: Int64.max, hard: Int64.max)) == nil)
        // With CAP_SYS_RESOURCE only `fs.nr_open` bounds them.
        host.rlimitCeilings = RlimitCeilings(openFiles: 1_048_576)
        #expect(message(Ulimit(name: "nofile", soft: 1_048_576, hard: 1_048_576)) == nil)
        #expect(message(Ulimit(name: "nproc", soft: -1, hard: -1)) == nil)
    }

    /// tmpfs sizes no mount takes (a negative `SizeBytes`, which the CLI sends for a `tmpfs-size` past
    /// Int64; `size=-1`) are refused at create; huge ones, which the kernel takes, pass.
    @Test func tmpfsSizesTheKernelRefusesAreRefusedAtCreate() throws {
        var tmpfs = MountSpec()
        tmpfs.Type = "tmpfs"
        tmpfs.Target = "/x"
        tmpfs.TmpfsOptions = ["SizeBytes": .int(Int64.min)]
        #expect(SpecFixtures.message { _ = try MountRequests.mount(tmpfs, driver: "local") }
            == "invalid mount config for type \"tmpfs\": invalid size -9223372036854775808: it must not be negative")
        tmpfs.TmpfsOptions = ["Mode": -1]
        #expect(SpecFixtures.message { _ = try MountRequests.mount(tmpfs, driver: "local") }
            == "invalid mount config for type \"tmpfs\": invalid mode -1")
        tmpfs.TmpfsOptions = ["SizeBytes": .int(Int64.max)]
        #expect(try MountRequests.mount(tmpfs, driver: "local").point.tmpfsOptions == "size=9223372036854775807")

        func message(_ options: String) -> String? {
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Tmpfs = ["/x": options] } }
        }
        #expect(message("size=-1")
            == "invalid tmpfs option size=-1: a size is a number with an optional k, m, g, t, p or e suffix, or a percentage")
        #expect(message("nr_inodes=1x") != nil)
        #expect(message("size=") != nil)
        for accepted in ["size=9223372036854775807", "size=99999999999999999999", "size=64m", "size=10%", "size=0x100k", "nr_inodes=1k"] {
            #expect(message(accepted) == nil, "\(accepted)")
        }
    }

    /// A `StopTimeout` or `t` of `Int.max` is a wait of a hundred years; negative waits forever.
    @Test func gracePeriodOfExtremeTimeouts() {
        #expect(ContainersChild.gracePeriod(Int.max) == .longestWait)
        #expect(ContainersChild.gracePeriod(Int.min) == nil)
        #expect(ContainersChild.gracePeriod(-1) == nil)
        #expect(ContainersChild.gracePeriod(0) == .zero)
        #expect(ContainersChild.gracePeriod(10) == .seconds(10))
    }

    /// dockerd keeps healthcheck durations of `Int64.max` nanoseconds; armed, they are clamped.
    @Test func healthcheckTimesOfInt64MaxAreClamped() {
        var health = HealthConfig()
        (health.Interval, health.Timeout, health.StartPeriod, health.StartInterval) = (.max, .max, .max, .max)
        let times = HealthTimes(health)
        #expect([times.interval, times.timeout, times.startPeriod, times.startInterval].allSatisfy { $0 == .longestWait })
        let defaults = HealthTimes(HealthConfig())
        #expect(defaults.interval == .seconds(30) && defaults.startInterval == .seconds(30) && defaults.startPeriod == .zero)
    }

    @Test func healthcheckChecksUseDockersWords() throws {
        func message(_ change: (inout HealthConfig) -> Void) -> String? {
            var health = HealthConfig()
            change(&health)
            return SpecFixtures.message { try ContainerSetup.validate(health) }
        }
        #expect(message { $0.Interval = -5 } == "Interval in Healthcheck cannot be less than 1ms")
        #expect(message { $0.Interval = 5 } == "Interval in Healthcheck cannot be less than 1ms")
        #expect(message { $0.Timeout = 999_999 } == "Timeout in Healthcheck cannot be less than 1ms")
        #expect(message { $0.StartPeriod = -1 } == "StartPeriod in Healthcheck cannot be less than 1ms")
        #expect(message { $0.StartInterval = Int64.min } == "StartInterval in Healthcheck cannot be less than 1ms")
        #expect(message { $0.Retries = -1 } == "Retries in Healthcheck cannot be negative")
        #expect(message { ($0.Interval, $0.Timeout, $0.StartPeriod, $0.Retries) = (.max, .max, .max, .max) } == nil)
        #expect(message { ($0.Interval, $0.Timeout) = (0, 1_000_000) } == nil)
    }

    @Test func hostPortsOutOfRangeAreRefusedAtCreate() {
        func message(_ hostPort: String) -> String? {
            var host = HostConfig()
            host.PortBindings = ["80/tcp": [PortBinding(hostPort: hostPort)]]
            return SpecFixtures.message { _ = try PublishedPorts.requests(ContainerConfig(), host) }
        }
        for text in ["99999", "1-70000", "9000-8000", "-5"] {
            #expect(message(text) == "invalid port specification: \"\(text)\"")
        }
        #expect(message("8000-8010") == nil)
        #expect(message("") == nil)
    }

    /// `max-file` is any `Int` dockerd's Atoi reads: rotating and reading cost the files on disk, not the count.
    @Test func hugeMaxFileRotatesAndReadsTheFilesThereAre() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer(.jsonFile(try LogRotation(jsonFileOptions: ["max-size": "100", "max-file": "\(Int.max)"])))
        for index in 1...6 { try writer.write("line \(index)\n", .stdout) }
        try writer.close()
        #expect(try fixture.fileNames() == ["c0ffee-json.log", "c0ffee-json.log.1", "c0ffee-json.log.2"])
        #expect(try await writer.read(LogReadOptions()).collect().texts == (1...6).map { "line \($0)\n" })
    }

    @Test func logTimesAtTheEdgesOfInt64() {
        #expect(LogTimestamp(nano: .max).nano == .max)
        #expect(LogTimestamp(nano: .min).nano == .min)
        #expect(LogTimestamp(nano: -1).nano == -1)
        #expect(LogTimestamp(seconds: .max, nanoseconds: 999_999_999).nano == .max)
        #expect(LogTimestamp(seconds: .min).nano == .min)
    }

    @Test func containerFilterTimesBeyondInt64AreRefused() throws {
        for time in ["1e30", "nan", "99999999999h", "9223372036854775807"] {
            #expect(SpecFixtures.message { _ = try ContainerFilter(["until": [time]]) } == "invalid filter 'until=\(time)'")
        }
        _ = try ContainerFilter(["until": ["10m", "1700000000"]])
    }
}
