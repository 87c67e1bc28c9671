import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct RuntimeSpecDefaultsTests {
    @Test func plainContainerGetsDockerDefaults() throws {
        let spec = try SpecFixtures.spec()
        #expect(spec.ociVersion == "1.0.2-dev")
        #expect(spec.hostname == "0123456789ab")
        #expect(spec.root == RuntimeSpec.Root(path: "/nonexistent-rootfs", readonly: nil))
        #expect(spec.process.args == ["echo", "hi"])
        #expect(spec.process.cwd == "/")
        #expect(spec.process.user == RuntimeSpec.User(uid: 0, gid: 0, additionalGids: [0]))
        #expect(spec.process.env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=0123456789ab"])
        #expect(spec.process.capabilities.bounding.count == 14)
        #expect(spec.process.capabilities.effective == spec.process.capabilities.bounding)
        #expect(spec.process.capabilities.permitted == spec.process.capabilities.bounding)
        #expect(spec.process.capabilities.inheritable == nil)
        #expect(spec.process.oomScoreAdj == 0)
        #expect(spec.process.terminal == nil)
        #expect(spec.process.rlimits == nil)
        #expect(spec.process.noNewPrivileges == nil)
        #expect(spec.mounts.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm"])
        #expect(spec.mounts.last?.options == ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"])
        #expect(spec.linux.namespaces.map(\.type) == ["mount", "network", "uts", "pid", "ipc"])
        #expect(spec.linux.namespaces.allSatisfy { $0.path == nil })
        #expect(spec.linux.cgroupsPath == "/berth/" + SpecFixtures.containerID)
        #expect(spec.linux.devices.isEmpty)
        #expect(spec.linux.resources.devices.first == RuntimeSpec.DeviceRule(allow: false, access: "rwm"))
        #expect(spec.linux.resources.devices.contains(RuntimeSpec.DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm")))
        #expect(spec.linux.resources.memory == nil)
        #expect(spec.linux.resources.cpu == nil)
        #expect(spec.linux.resources.pids == nil)
        #expect(spec.linux.sysctl == SpecHost.fixture.networkSysctls)
        #expect(spec.linux.maskedPaths?.contains("/proc/kcore") == true)
        #expect(spec.linux.readonlyPaths == ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])
        #expect(spec.linux.seccomp?.defaultAction == "SCMP_ACT_ERRNO")
        #expect(spec.linux.seccomp?.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
    }

    @Test func encodesStableJSONWithoutNulls() throws {
        let first = try RuntimeSpecBuilder(host: .fixture).configJSON(for: SpecFixtures.request())
        let second = try RuntimeSpecBuilder(host: .fixture).configJSON(for: SpecFixtures.request())
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        #expect(!text.contains("null"))
        #expect(text.contains("\"cgroupsPath\":\"/berth/0123456789ab"))
        #expect(try JSONDecoder().decode(RuntimeSpec.self, from: first) == SpecFixtures.spec())
    }

    @Test func ttyAddsTermAndConsoleSize() throws {
        let spec = try SpecFixtures.spec { config, hostConfig in
            config.Tty = true
            hostConfig.ConsoleSize = [24, 80]
        }
        #expect(spec.process.terminal == true)
        #expect(spec.process.env.contains("TERM=xterm"))
        #expect(spec.process.consoleSize == RuntimeSpec.ConsoleSize(height: 24, width: 80))
    }

    @Test func containerEnvironmentReplacesAndRemovesDefaults() {
        let env = ProcessEnvironment.make(env: ["PATH=/bin", "FOO=1", "HOSTNAME", "TERM=dumb"], hostname: "box", tty: true)
        #expect(env == ["PATH=/bin", "TERM=dumb", "FOO=1"])
        #expect(ProcessEnvironment.make(env: [], hostname: "box", tty: false).first == ProcessEnvironment.defaultPath)
    }

    @Test func hostnameDomainnameAndAnnotations() throws {
        let spec = try SpecFixtures.spec { config, hostConfig in
            config.Hostname = "web"
            config.Domainname = "example.org"
            hostConfig.Annotations = ["org.example.key": "value"]
        }
        #expect(spec.hostname == "web")
        #expect(spec.domainname == "example.org")
        #expect(spec.process.env.contains("HOSTNAME=web"))
        #expect(spec.annotations == ["org.example.key": "value"])
    }

    @Test func namespaceModes() throws {
        var request = SpecFixtures.request()
        request.namespaces = NamespaceModes(
            network: .join(path: "/proc/42/ns/net"), ipc: .host, pid: .join(path: "/proc/42/ns/pid"), uts: .host)
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        #expect(
            spec.linux.namespaces == [
                RuntimeSpec.Namespace(type: "mount"), RuntimeSpec.Namespace(type: "network", path: "/proc/42/ns/net"),
                RuntimeSpec.Namespace(type: "pid", path: "/proc/42/ns/pid"),
            ])
        #expect(spec.hostname == nil)
        #expect(spec.linux.sysctl == nil)
    }

    @Test func cgroupNamespaceAndParent() throws {
        var host = SpecHost.fixture
        host.cgroupV2 = true
        let v2 = try SpecFixtures.spec(host: host) { _, hostConfig in hostConfig.CgroupParent = "/custom/" }
        #expect(v2.linux.namespaces.last == RuntimeSpec.Namespace(type: "cgroup"))
        #expect(v2.linux.cgroupsPath == "/custom/" + SpecFixtures.containerID)
        let v1 = try SpecFixtures.spec { _, hostConfig in hostConfig.CgroupnsMode = "private" }
        #expect(v1.linux.namespaces.last == RuntimeSpec.Namespace(type: "cgroup"))
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.CgroupnsMode = "shared" } } == "invalid cgroup namespace mode: shared")
    }

    @Test func workingDirectoryMustBeAbsolute() throws {
        #expect(try SpecFixtures.spec { config, _ in config.WorkingDir = "/srv//app/./x/.." }.process.cwd == "/srv/app")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { config, _ in config.WorkingDir = "app" } }
                == "the working directory 'app' is invalid, it needs to be an absolute path")
    }

    @Test func oomScoreAdjRange() throws {
        #expect(try SpecFixtures.spec { $1.OomScoreAdj = 500 }.process.oomScoreAdj == 500)
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.OomScoreAdj = 1001 } }
                == "Invalid value 1001, range for oom score adj is [-1000, 1000]")
    }

    @Test func ulimitsOnlyThoseAsked() throws {
        let spec = try SpecFixtures.spec { $1.Ulimits = [Ulimit(name: "nofile", soft: 1024, hard: 2048)] }
        #expect(spec.process.rlimits == [RuntimeSpec.Rlimit(type: "RLIMIT_NOFILE", soft: 1024, hard: 2048)])
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Ulimits = [Ulimit(name: "bogus", soft: 1, hard: 1)] } }
                == "invalid ulimit type: bogus")
    }
}

@Suite struct CreateValidationTests {
    @Test func dockerModesMapToNamespaces() throws {
        var hostConfig = HostConfig()
        hostConfig.NetworkMode = "container:web"
        hostConfig.PidMode = "host"
        hostConfig.IpcMode = "shareable"
        let modes = try NamespaceModes(hostConfig: hostConfig) { container, kind in "/proc/\(container)/ns/\(kind)" }
        #expect(modes == NamespaceModes(network: .join(path: "/proc/web/ns/net"), ipc: .private, pid: .host, uts: .private))
    }

    @Test func validateChecksWithoutARootfs() throws {
        var hostConfig = HostConfig()
        hostConfig.Init = true
        hostConfig.Sysctls = ["net.core.somaxconn": "1024"]
        var config = ContainerConfig()
        config.User = "nobody-without-files"
        try RuntimeSpecBuilder(host: .fixture).validate(config: config, hostConfig: hostConfig)

        hostConfig.NetworkMode = "host"
        #expect(
            SpecFixtures.message { try RuntimeSpecBuilder(host: .fixture).validate(config: config, hostConfig: hostConfig) }
                == "sysctl 'net.core.somaxconn' is not allowed in the hosts network namespace")
        hostConfig.Sysctls = nil
        hostConfig.Memory = 1
        #expect(
            SpecFixtures.message { try RuntimeSpecBuilder(host: .fixture).validate(config: config, hostConfig: hostConfig) }
                == "Minimum memory limit allowed is 6MB")
    }
}
