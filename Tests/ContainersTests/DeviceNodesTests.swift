import Messages
import Testing

@testable import Containers

@Suite struct DeviceNodesTests {
    @Test func deviceIsStatedOnTheHost() throws {
        let spec = try SpecFixtures.spec { $1.Devices = [DeviceMapping(pathOnHost: "/dev/null", pathInContainer: "/dev/mynull", cgroupPermissions: "rw")] }
        let device = try #require(spec.linux.devices.first)
        #expect(device.path == "/dev/mynull")
        #expect(device.type == "c")
        #expect(device.major == 1)
        #expect(device.minor == 3)
        #expect(device.fileMode == 0o666)
        #expect(device.uid == 0)
        #expect(spec.linux.resources.devices.last == RuntimeSpec.DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rw"))
    }

    @Test func pathInContainerDefaultsToTheHostPath() throws {
        let spec = try SpecFixtures.spec { $1.Devices = [DeviceMapping(pathOnHost: "/dev/zero")] }
        #expect(spec.linux.devices.map(\.path) == ["/dev/zero"])
        #expect(spec.linux.resources.devices.last?.access == "rwm")
    }

    @Test func missingOrOrdinaryFilesAreRejected() {
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Devices = [DeviceMapping(pathOnHost: "/dev/nope")] } }
                == "error gathering device information while adding custom device \"/dev/nope\": no such file or directory")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Devices = [DeviceMapping(pathOnHost: "/etc/hostname")] } }
                == "error gathering device information while adding custom device \"/etc/hostname\": not a device node")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.Devices = [DeviceMapping(pathOnHost: "/dev/null", cgroupPermissions: "rx")] } }
                == "invalid device mode: rx")
    }

    @Test func cgroupRules() throws {
        let spec = try SpecFixtures.spec { $1.DeviceCgroupRules = ["c 13:* rwm", "b *:* m"] }
        #expect(
            spec.linux.resources.devices.suffix(2) == [
                RuntimeSpec.DeviceRule(allow: true, type: "c", major: 13, minor: -1, access: "rwm"),
                RuntimeSpec.DeviceRule(allow: true, type: "b", major: -1, minor: -1, access: "m"),
            ])
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.DeviceCgroupRules = ["c -1:2 rwm"] } }
                == "invalid device cgroup rule format: 'c -1:2 rwm'")
    }
}
