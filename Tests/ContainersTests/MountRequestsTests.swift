import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct MountRequestsTests {
    @Test func bindsNameHostPathsOrVolumes() throws {
        let bind = try MountRequests.bind("/tmp:/host:ro,rshared", driver: "local")
        #expect(bind.Type == "bind" && bind.Source == "/tmp" && bind.Destination == "/host" && !bind.RW && bind.Propagation == "rshared")
        let volume = try MountRequests.bind("data:/data/:nocopy", driver: "local")
        #expect(volume.Type == "volume" && volume.Name == "data" && volume.Destination == "/data" && volume.RW && !volume.copyImageContent)
        let anonymous = try MountRequests.bind("/cache", driver: "flocker")
        #expect(anonymous.Type == "volume" && anonymous.Name.isEmpty && anonymous.Driver == "flocker" && anonymous.copyImageContent)
        #expect(throws: EngineError.self) { try MountRequests.bind("data:relative", driver: "local") }
        #expect(throws: EngineError.self) { try MountRequests.bind("data:/x:bogus", driver: "local") }
        #expect(throws: EngineError.self) { try MountRequests.bind("data:/", driver: "local") }
    }

    @Test func mountsOfEachType() throws {
        var tmpfs = MountSpec()
        tmpfs.Type = "tmpfs"
        tmpfs.Target = "/scratch"
        tmpfs.TmpfsOptions = ["SizeBytes": 1_048_576, "Mode": 0o1777]
        #expect(try MountRequests.mount(tmpfs, driver: "local").point.tmpfsOptions == "size=1048576,mode=1777")
        var volume = MountSpec()
        volume.Target = "/v"
        volume.Source = "named"
        volume.ReadOnly = true
        volume.VolumeOptions = ["NoCopy": true, "Labels": ["a": "b"], "DriverConfig": ["Name": "plug", "Options": ["size": "1g"]]]
        let request = try MountRequests.mount(volume, driver: "local")
        #expect(request.point.Driver == "plug" && !request.point.RW && !request.point.copyImageContent)
        #expect(request.volumeLabels == ["a": "b"] && request.volumeOptions == ["size": "1g"])
        var missing = MountSpec()
        missing.Type = "bind"
        missing.Source = "/no/such/path"
        missing.Target = "/x"
        #expect(throws: EngineError.self) { try MountRequests.mount(missing, driver: "local") }
    }

    @Test func explicitMountsWinOverInheritedAndImageVolumes() throws {
        var config = ContainerConfig()
        config.Volumes = ["/data": [:], "/logs": [:]]
        var host = HostConfig()
        host.Binds = ["named:/data"]
        let inherited = [MountPoint(type: "volume", name: "old", destination: "/data"), MountPoint(type: "bind", source: "/tmp", destination: "/shared")]
        let requests = try MountRequests(config: config, host: host, inherited: inherited)
        #expect(requests.requests.map(\.point.Destination) == ["/shared", "/data", "/logs"])
        #expect(requests.volumeClaims.map(\.claim.name) == ["named", nil])
        host.Binds = ["a:/x", "b:/x"]
        #expect(throws: EngineError.self) { try MountRequests(config: ContainerConfig(), host: host, inherited: []) }
    }
}
