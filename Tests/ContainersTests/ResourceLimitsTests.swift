import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct ResourceLimitsTests {
    @Test func memoryLimitDefaultsSwapToTwiceTheLimit() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.Memory = 64 * 1024 * 1024
            hostConfig.MemoryReservation = 32 * 1024 * 1024
            hostConfig.MemorySwappiness = 10
            hostConfig.OomKillDisable = true
        }
        #expect(
            spec.linux.resources.memory
                == RuntimeSpec.Memory(
                    limit: 67_108_864, reservation: 33_554_432, swap: 134_217_728, swappiness: 10, disableOOMKiller: true))
    }

    /// Issue 18: `HostConfig.Memory` = 5e18 without `MemorySwap` overflowed the swap default. The body is
    /// the input the container-create fuzz target (fuzz/) crashed on.
    @Test func aMemoryLimitPastHalfOfInt64LeavesSwapUnlimited() throws {
        let body = #"{"Image": "busybox", "HostConfig": {"Memory": 5000000000000000000, "MemoryWwap": -1, "NanoCpus": 1000000000, "StopTimeout": null, "RestartPolicy": {"Name": "always"}, "Ulimits": [{"Name": "nofile", "Soft": 1, "Hard": 2}], "Devices": [{"PathOnHost": "/dev/null", "PathInContainer": "/dev/x", "CgroupPermissions": "rwm"}], "Sysctls": {"net.ipv4.ip_forward": "1"}, "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m"}}}, "StopTimeout": 9223372036854775807, "Healthcheck": {"Test": ["CMD", "true"], "Interval": 9223372036854775807}, "NetworcingConfig": {"ESubstrtsConfig": {"n": {"Aliases": ["a"], "IPAMConfig": {"IPv4Address": "10.0.0.2"}}}}}"#
        let hostConfig = try JSONDecoder().decode(CreateBodyHostConfig.self, from: Data(body.utf8)).HostConfig
        #expect(hostConfig.Memory == 5_000_000_000_000_000_000)
        let spec = try SpecFixtures.spec { _, host in host.Memory = hostConfig.Memory }
        #expect(spec.linux.resources.memory?.swap == nil)
        #expect(try RuntimeSpecBuilder(host: .fixture).validate(config: ContainerConfig(), hostConfig: hostConfig) == ())
    }

    private struct CreateBodyHostConfig: Decodable {
        var HostConfig: HostConfig
    }

    @Test func unlimitedSwapLeavesSwapUnset() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.Memory = 64 * 1024 * 1024
            hostConfig.MemorySwap = -1
            hostConfig.MemorySwappiness = -1
        }
        #expect(spec.linux.resources.memory == RuntimeSpec.Memory(limit: 67_108_864))
    }

    @Test func memoryChecksUseDockersWords() {
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.Memory = 1024 * 1024 } } == "Minimum memory limit allowed is 6MB")
        #expect(
            SpecFixtures.message {
                _ = try SpecFixtures.spec { _, hostConfig in
                    hostConfig.Memory = 64 * 1024 * 1024
                    hostConfig.MemorySwap = 32 * 1024 * 1024
                }
            } == "Minimum memoryswap limit should be larger than memory limit, see usage")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.MemorySwappiness = 101 } }
                == "Invalid value: 101, valid memory swappiness range is 0-100")
    }

    @Test func nanoCPUsBecomeAQuota() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.NanoCpus = 1_500_000_000
            hostConfig.CpuShares = 1
            hostConfig.CpusetCpus = "0-1"
        }
        #expect(spec.linux.resources.cpu == RuntimeSpec.CPU(shares: 2, quota: 150_000, period: 100_000, cpus: "0-1"))
    }

    @Test func nanoCPUsConflictWithPeriodAndQuota() {
        #expect(
            SpecFixtures.message {
                _ = try SpecFixtures.spec { _, hostConfig in
                    hostConfig.NanoCpus = 1_000_000_000
                    hostConfig.CpuPeriod = 50_000
                }
            } == "Conflicting options: Nano CPUs and CPU Period cannot both be set")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.NanoCpus = 3_000_000_000 } }
                == "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available")
    }

    @Test func periodAndQuotaPassThrough() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.CpuPeriod = 50_000
            hostConfig.CpuQuota = 25_000
        }
        #expect(spec.linux.resources.cpu == RuntimeSpec.CPU(quota: 25_000, period: 50_000))
    }

    @Test func pidsLimitZeroOrLessIsUnlimited() throws {
        #expect(try SpecFixtures.spec { $1.PidsLimit = 0 }.linux.resources.pids == RuntimeSpec.Pids(limit: -1))
        #expect(try SpecFixtures.spec { $1.PidsLimit = 64 }.linux.resources.pids == RuntimeSpec.Pids(limit: 64))
        #expect(try SpecFixtures.spec { $1.PidsLimit = .max }.linux.resources.pids == RuntimeSpec.Pids(limit: -1))
    }

    @Test func blkioWeightRangeAndSupport() throws {
        #expect(try SpecFixtures.spec { $1.BlkioWeight = 300 }.linux.resources.blockIO == RuntimeSpec.BlockIO(weight: 300))
        var host = SpecHost.fixture
        host.supportsBlkioWeight = false
        #expect(try SpecFixtures.spec(host: host) { $1.BlkioWeight = 300 }.linux.resources.blockIO == nil)
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.BlkioWeight = 5 } } == "Range of blkio weight is from 10 to 1000")
    }
}
