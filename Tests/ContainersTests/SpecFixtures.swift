import Foundation
import Messages

@testable import Containers

/// A fixed host so that specs do not depend on the machine the tests run on.
extension SpecHost {
    static let fixture = SpecHost(
        kernel: KernelVersion(major: 6, minor: 1), architecture: "amd64", cgroupV2: false, cpuCount: 2,
        capabilities: CapabilitySet.defaults + ["CAP_NET_ADMIN", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE"],
        supportsBlkioWeight: true,
        networkSysctls: ["net.ipv4.ip_unprivileged_port_start": "0", "net.ipv4.ping_group_range": "0 2147483647"])
}

enum SpecFixtures {
    static let containerID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    /// A request for `echo hi` in a busybox-like image with no `/etc/passwd`, changed by `change`.
    static func request(
        rootfs: String = "/nonexistent-rootfs", _ change: (inout ContainerConfig, inout HostConfig) -> Void = { _, _ in }
    ) -> SpecRequest {
        var config = ContainerConfig()
        config.Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        var hostConfig = HostConfig()
        change(&config, &hostConfig)
        return SpecRequest(containerID: containerID, config: config, hostConfig: hostConfig, args: ["echo", "hi"], rootfsPath: rootfs)
    }

    static func spec(
        rootfs: String = "/nonexistent-rootfs", host: SpecHost = .fixture, _ change: (inout ContainerConfig, inout HostConfig) -> Void = { _, _ in }
    ) throws -> RuntimeSpec {
        try RuntimeSpecBuilder(host: host).spec(for: request(rootfs: rootfs, change))
    }

    /// The message of the ``EngineError`` `body` throws.
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as EngineError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}

/// A directory under the system's temporary directory, removed when the test is done with it.
final class SpecTempDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-spec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ relativePath: String, _ contents: String) throws {
        let file = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
    }
}
