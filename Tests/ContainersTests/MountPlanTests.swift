import Messages
import Testing

@testable import Containers

@Suite struct MountPlanTests {
    @Test func initRunsTheCommandBehindDockerInit() throws {
        var request = SpecFixtures.request { $1.Init = true }
        request.initBinary = "/usr/bin/tini-static"
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        #expect(spec.process.args == ["/sbin/docker-init", "--", "echo", "hi"])
        #expect(
            spec.mounts.contains(
                RuntimeSpec.Mount(destination: "/sbin/docker-init", type: "bind", source: "/usr/bin/tini-static", options: ["bind", "ro"])))
    }

    @Test func initIsLeftOutWithASharedPIDNamespace() throws {
        var request = SpecFixtures.request { $1.Init = true }
        request.initBinary = "/usr/bin/tini-static"
        request.namespaces.pid = .host
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        #expect(spec.process.args == ["echo", "hi"])
        #expect(!spec.mounts.contains { $0.destination == "/sbin/docker-init" })
    }

    @Test func tmpfsGetsDockersDefaultsUnlessOverridden() throws {
        let spec = try SpecFixtures.spec { $1.Tmpfs = ["/run": "", "/tmp": "size=64m,exec,mode=1777", "/run/lock": "ro"] }
        let tmpfs = spec.mounts.filter { $0.source == "tmpfs" && $0.destination != "/dev" }
        #expect(tmpfs.map(\.destination) == ["/run", "/tmp", "/run/lock"])
        #expect(tmpfs[0].options == ["noexec", "nosuid", "nodev", "rprivate"])
        #expect(tmpfs[1].options == ["nosuid", "nodev", "rprivate", "size=64m", "exec", "mode=1777"])
        #expect(tmpfs[2].options == ["noexec", "nosuid", "nodev", "rprivate", "ro"])
    }

    @Test func tmpfsOptionsAndPathsAreChecked() {
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.Tmpfs = ["/tmp": "foo"] } } == "invalid tmpfs option [\"foo\"]")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Tmpfs = ["tmp": ""] } } == "invalid mount path: 'tmp' mount path must be absolute")
    }

    @Test func tmpfsReplacesTheDefaultMountThere() throws {
        let spec = try SpecFixtures.spec { $1.Tmpfs = ["/dev/shm": "size=1g"] }
        let shm = spec.mounts.filter { $0.destination == "/dev/shm" }
        #expect(shm == [RuntimeSpec.Mount(destination: "/dev/shm", type: "tmpfs", source: "tmpfs", options: ["noexec", "nosuid", "nodev", "rprivate", "size=1g"])])
    }

    @Test func shmSizeAndIpcNone() throws {
        let sized = try SpecFixtures.spec { $1.ShmSize = 128 * 1024 * 1024 }
        #expect(sized.mounts.first { $0.destination == "/dev/shm" }?.options.last == "size=134217728")
        #expect(try !SpecFixtures.spec { $1.IpcMode = "none" }.mounts.contains { $0.destination == "/dev/shm" })
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.ShmSize = -1 } } == "SHM size can not be less than 0")
    }

    @Test func readonlyRootfsMakesDefaultsReadOnlyButNotDevOrProc() throws {
        var request = SpecFixtures.request { $1.ReadonlyRootfs = true }
        request.networkFiles = NetworkFiles(hostname: "/run/berth/x/hostname", hosts: "/run/berth/x/hosts", resolvConf: "/run/berth/x/resolv.conf")
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        #expect(spec.root.readonly == true)
        let options = Dictionary(uniqueKeysWithValues: spec.mounts.map { ($0.destination, $0.options) })
        #expect(options["/proc"]?.contains("ro") == false)
        #expect(options["/dev/shm"]?.contains("ro") == false)
        #expect(options["/sys"]?.filter { $0 == "ro" }.count == 1)
        #expect(options["/etc/hosts"] == ["rbind", "ro", "rprivate"])
    }

    @Test func networkFilesAndAdditionalMounts() throws {
        var request = SpecFixtures.request()
        request.networkFiles = NetworkFiles(hostname: "/h/hostname", hosts: "/h/hosts", resolvConf: "/h/resolv.conf")
        request.additionalMounts = [
            RuntimeSpec.Mount(destination: "/data/cache", type: "bind", source: "/srv/cache", options: ["rbind", "rprivate"]),
            RuntimeSpec.Mount(destination: "/data", type: "bind", source: "/srv/data", options: ["rbind", "rprivate"]),
            RuntimeSpec.Mount(destination: "/etc/hosts", type: "bind", source: "/mine/hosts", options: ["rbind", "ro"]),
        ]
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        let user = spec.mounts.dropFirst(7)
        #expect(user.map(\.destination) == ["/data", "/data/cache", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"])
        #expect(user.first { $0.destination == "/etc/hosts" }?.source == "/mine/hosts")
        #expect(user.first { $0.destination == "/etc/hostname" }?.options == ["rbind", "rprivate"])
    }

    @Test func aMountAtDevReplacesEverythingBelowIt() throws {
        var request = SpecFixtures.request()
        request.additionalMounts = [RuntimeSpec.Mount(destination: "/dev", type: "bind", source: "/dev", options: ["rbind"])]
        let spec = try RuntimeSpecBuilder(host: .fixture).spec(for: request)
        #expect(spec.mounts.map(\.destination) == ["/proc", "/sys", "/sys/fs/cgroup", "/dev"])
    }
}
