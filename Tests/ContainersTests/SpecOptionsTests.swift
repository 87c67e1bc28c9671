import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct SpecOptionsTests {
    @Test func namespacedSysctlsAreAllowed() throws {
        let spec = try SpecFixtures.spec {
            $1.Sysctls = ["kernel.shmmax": "1000", "fs.mqueue.msg_max": "20", "net.ipv4.ip_forward": "1", "net.ipv4.ping_group_range": "1 1"]
        }
        #expect(spec.linux.sysctl?["kernel.shmmax"] == "1000")
        #expect(spec.linux.sysctl?["net.ipv4.ping_group_range"] == "1 1")
        #expect(spec.linux.sysctl?["net.ipv4.ip_unprivileged_port_start"] == "0")
    }

    @Test func otherSysctlsAreRejected() {
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.Sysctls = ["kernel.pid_max": "1"] } } == "sysctl 'kernel.pid_max' is not whitelisted")
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.Sysctls = ["vm.swappiness": "1"] } } == "sysctl 'vm.swappiness' is not whitelisted")
        var request = SpecFixtures.request { $1.Sysctls = ["net.core.somaxconn": "1024"] }
        request.namespaces.network = .host
        #expect(
            SpecFixtures.message { _ = try RuntimeSpecBuilder(host: .fixture).spec(for: request) }
                == "sysctl 'net.core.somaxconn' is not allowed in the hosts network namespace")
    }

    @Test func securityOptions() throws {
        #expect(try SecurityOptions(["no-new-privileges"]).noNewPrivileges)
        #expect(try SecurityOptions(["no-new-privileges:true"]).noNewPrivileges)
        #expect(try !SecurityOptions(["no-new-privileges", "no-new-privileges=false"]).noNewPrivileges)
        #expect(try SecurityOptions(["seccomp=unconfined"]).seccomp == .unconfined)
        #expect(try SecurityOptions(["seccomp={}"]).seccomp == .profile("{}"))
        #expect(try SecurityOptions(["label=disable", "label:type:svirt_t", "apparmor=docker-default", "disable"]) == SecurityOptions([]))
        #expect(SpecFixtures.message { _ = try SecurityOptions(["bogus"]) } == "invalid --security-opt 1: \"bogus\"")
        #expect(SpecFixtures.message { _ = try SecurityOptions(["foo=bar"]) } == "invalid --security-opt 2: \"foo=bar\"")
        #expect(SpecFixtures.message { _ = try SecurityOptions(["no-new-privileges=maybe"]) } == "invalid --security-opt 2: \"no-new-privileges=maybe\"")
    }

    @Test func securityOptionsReachTheSpec() throws {
        let spec = try SpecFixtures.spec { $1.SecurityOpt = ["no-new-privileges", "seccomp=unconfined"] }
        #expect(spec.process.noNewPrivileges == true)
        #expect(spec.linux.seccomp == nil)
    }

    @Test func privilegedDropsTheFences() throws {
        let spec = try SpecFixtures.spec { $1.Privileged = true }
        #expect(spec.process.capabilities.bounding == SpecHost.fixture.capabilities)
        #expect(spec.linux.seccomp == nil)
        #expect(spec.linux.maskedPaths == nil)
        #expect(spec.linux.readonlyPaths == nil)
        #expect(spec.linux.resources.devices == [RuntimeSpec.DeviceRule(allow: true, access: "rwm")])
        #expect(spec.linux.devices.contains { $0.path == "/dev/null" && $0.major == 1 && $0.minor == 3 })
        #expect(!spec.linux.devices.contains { $0.path.hasPrefix("/dev/pts/") || $0.path == "/dev/console" })
        #expect(spec.mounts.first { $0.destination == "/sys" }?.options.contains("ro") == false)
        #expect(spec.mounts.first { $0.destination == "/sys/fs/cgroup" }?.options.contains("ro") == false)
    }

    @Test func maskedAndReadonlyPathOverrides() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.MaskedPaths = ["/proc/secret"]
            hostConfig.ReadonlyPaths = []
        }
        #expect(spec.linux.maskedPaths == ["/proc/secret"])
        #expect(spec.linux.readonlyPaths == [])
    }
}
