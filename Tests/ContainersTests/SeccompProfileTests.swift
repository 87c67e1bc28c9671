import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct SeccompProfileTests {
    private func allowed(_ seccomp: RuntimeSpec.Seccomp?) -> Set<String> {
        Set((seccomp?.syscalls ?? []).filter { $0.action == "SCMP_ACT_ALLOW" && $0.args == nil }.flatMap(\.names))
    }

    @Test func defaultProfileAllowsOrdinarySyscallsOnly() throws {
        let seccomp = try #require(try SpecFixtures.spec().linux.seccomp)
        #expect(seccomp.defaultAction == "SCMP_ACT_ERRNO")
        #expect(seccomp.defaultErrnoRet == 1)
        let allowed = allowed(seccomp)
        #expect(allowed.isSuperset(of: ["read", "write", "openat", "execve", "arch_prctl", "chroot", "ptrace"]))
        #expect(allowed.isDisjoint(with: ["kexec_load", "mount", "unshare", "init_module", "reboot", "bpf", "set_tls"]))
    }

    @Test func cloneIsFencedWithoutSysAdmin() throws {
        let seccomp = try #require(try SpecFixtures.spec().linux.seccomp)
        let clone = try #require(seccomp.syscalls?.first { $0.names == ["clone"] })
        #expect(clone.args == [RuntimeSpec.SyscallArg(index: 0, value: 2_114_060_288, op: "SCMP_CMP_MASKED_EQ")])
        #expect(seccomp.syscalls?.first { $0.names == ["clone3"] }?.errnoRet == 38)
        let personality = seccomp.syscalls?.filter { $0.names == ["personality"] }.compactMap { $0.args?.first?.value }
        #expect(personality == [0, 8, 131_072, 131_080, 4_294_967_295])
    }

    @Test func capabilitiesUnlockTheirSyscalls() throws {
        let seccomp = try SpecFixtures.spec { $1.CapAdd = ["SYS_ADMIN", "SYS_MODULE"] }.linux.seccomp
        let allowed = allowed(seccomp)
        #expect(allowed.isSuperset(of: ["mount", "unshare", "clone", "init_module", "finit_module"]))
        #expect(seccomp?.syscalls?.contains { $0.names == ["clone3"] } == false)
        #expect(!allowed.contains("kexec_load"))
    }

    @Test func ptraceNeedsKernel48OrTheCapability() throws {
        var oldKernel = SpecHost.fixture
        oldKernel.kernel = KernelVersion(major: 4, minor: 4)
        #expect(!allowed(try SpecFixtures.spec(host: oldKernel).linux.seccomp).contains("ptrace"))
        #expect(allowed(try SpecFixtures.spec(host: oldKernel) { $1.CapAdd = ["SYS_PTRACE"] }.linux.seccomp).contains("ptrace"))
        #expect(KernelVersion(release: "6.18.44-fc-v782") == KernelVersion(major: 6, minor: 18))
    }

    @Test func arm64GetsItsOwnArchitecturesAndCalls() throws {
        var arm = SpecHost.fixture
        arm.architecture = "arm64"
        let seccomp = try SpecFixtures.spec(host: arm).linux.seccomp
        #expect(seccomp?.architectures == ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"])
        #expect(allowed(seccomp).contains("set_tls"))
        #expect(!allowed(seccomp).contains("arch_prctl"))
    }

    @Test func profileFromSecurityOptIsDockerFormat() throws {
        let profile = """
            {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [
               {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "args": []},
               {"name": "syslog", "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYSLOG"]}},
               {"names": ["uname"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["amd64"]}},
               {"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}}
             ]}
            """
        let seccomp = try SpecFixtures.spec { $1.SecurityOpt = ["seccomp=" + profile] }.linux.seccomp
        #expect(
            seccomp
                == RuntimeSpec.Seccomp(
                    defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"],
                    syscalls: [RuntimeSpec.Syscall(names: ["read", "write"], action: "SCMP_ACT_ALLOW")]))
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.SecurityOpt = ["seccomp=/not/json"] } }?
                .hasPrefix("Decoding seccomp profile failed") == true)
    }

    @Test func daemonProfileFile() throws {
        let directory = try SpecTempDirectory()
        try directory.write(
            "profile.json",
            """
            {"defaultAction": "SCMP_ACT_LOG", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}],
             "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": ["CAP_SYS_PTRACE"]}}]}
            """)
        var request = SpecFixtures.request()
        request.seccompProfilePath = directory.path + "/profile.json"
        let seccomp = try RuntimeSpecBuilder(host: .fixture).spec(for: request).linux.seccomp
        #expect(seccomp?.defaultAction == "SCMP_ACT_LOG")
        #expect(seccomp?.architectures == ["SCMP_ARCH_X86_64"])
        #expect(seccomp?.syscalls == [RuntimeSpec.Syscall(names: ["ptrace"], action: "SCMP_ACT_ERRNO", errnoRet: 1)])

        request.seccompProfilePath = "unconfined"
        #expect(try RuntimeSpecBuilder(host: .fixture).spec(for: request).linux.seccomp == nil)

        request.seccompProfilePath = directory.path + "/missing.json"
        let error = #expect(throws: EngineError.self) { try RuntimeSpecBuilder(host: .fixture).spec(for: request) }
        #expect(error?.code == .internal)
        #expect(error?.message.contains("missing.json") == true)
    }

    @Test func malformedProfilesAreExplained() throws {
        let both = #"{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}"#
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.SecurityOpt = ["seccomp=" + both] } }
                == "'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'")
        let kernel = #"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4"}}]}"#
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.SecurityOpt = ["seccomp=" + kernel] } }
                == "invalid kernel version: \"4\", expected \"<kernel>.<major>\"")
        #expect(try SpecFixtures.spec { $1.SecurityOpt = ["seccomp={}"] }.linux.seccomp == nil)
    }
}
