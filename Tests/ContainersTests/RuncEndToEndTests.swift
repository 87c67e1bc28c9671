import Foundation
import Messages
import Testing

@testable import Containers

/// Runs real containers with runc from generated specs, in a bundle with a busybox root filesystem, under
/// a private runc state directory and cgroup parent. Needs root, `/usr/sbin/runc` and Debian's
/// busybox-static (and tini-static for `--init`); skipped otherwise.
@Suite(.enabled(if: RuncBundle.available), .timeLimit(.minutes(1)))
struct RuncEndToEndTests {
    @Test func defaultContainerRunsWithDockersCapabilities() async throws {
        let bundle = try RuncBundle()
        let output = try await bundle.run(["sh", "-c", "echo hi; id; grep -E 'CapEff|Seccomp:' /proc/self/status; cat /etc/hostname"]) { _, _ in }
        #expect(output.contains("hi\n"))
        #expect(output.contains("uid=0(root) gid=0(root)"))
        #expect(output.contains("CapEff:\t00000000a80425fb"))
        #expect(output.contains("Seccomp:\t2"))
        #expect(output.contains("spec-test"))
    }

    @Test func restrictedContainer() async throws {
        let bundle = try RuncBundle()
        let output = try await bundle.run(
            ["sh", "-c", "id; grep -E 'CapEff|NoNewPrivs' /proc/self/status; touch /x 2>&1; touch /tmp/x && echo tmp-ok"]
        ) { config, hostConfig in
            config.User = "app"
            hostConfig.ReadonlyRootfs = true
            hostConfig.SecurityOpt = ["no-new-privileges"]
            hostConfig.Memory = 64 * 1024 * 1024
            hostConfig.PidsLimit = 32
            hostConfig.Tmpfs = ["/tmp": "size=8m"]
        }
        #expect(output.contains("uid=1000(app) gid=1000(app)"))
        #expect(output.contains("CapEff:\t0000000000000000"))
        #expect(output.contains("Read-only file system"))
        #expect(output.contains("NoNewPrivs:\t1"))
        #expect(output.contains("tmp-ok"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: RuncBundle.tini)))
    func initAndPrivileged() async throws {
        let bundle = try RuncBundle()
        let output = try await bundle.run(["sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo; grep -E 'CapEff|Seccomp:' /proc/self/status"]) { _, hostConfig in
            hostConfig.Init = true
            hostConfig.Privileged = true
        }
        #expect(output.contains("/sbin/docker-init -- sh -c"))
        // Everything this process may hand on: its own bounding set.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let bounding = try #require(status.split(separator: "\n").first { $0.hasPrefix("CapBnd:") }?.split(separator: "\t").last)
        #expect(output.contains("CapEff:\t\(bounding)"))
        #expect(output.contains("Seccomp:\t0"))
    }
}

/// A runc bundle in a temporary directory: a busybox root filesystem and a `config.json` per run.
final class RuncBundle {
    static let runc = "/usr/sbin/runc"
    static let busybox = "/bin/busybox"
    static let tini = "/usr/bin/tini-static"

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: runc) && FileManager.default.isExecutableFile(atPath: busybox)
    }

    let directory: SpecTempDirectory
    let cgroupParent = "/berth-spec-test-" + UUID().uuidString.prefix(8).lowercased()

    init() throws {
        directory = try SpecTempDirectory()
        let files = FileManager.default
        try files.createDirectory(atPath: directory.path + "/rootfs/bin", withIntermediateDirectories: true)
        try files.copyItem(atPath: Self.busybox, toPath: directory.path + "/rootfs/bin/busybox")
        for tool in ["sh", "echo", "id", "cat", "grep", "touch", "tr"] {
            try files.createSymbolicLink(atPath: directory.path + "/rootfs/bin/" + tool, withDestinationPath: "busybox")
        }
        try directory.write("rootfs/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/:/bin/sh\n")
        try directory.write("rootfs/etc/group", "root:x:0:\napp:x:1000:\n")
        try directory.write("hostname", "spec-test\n")
    }

    deinit {
        // runc removes the container's cgroup; the parent it created is ours to remove.
        let controllers = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        for controller in controllers { rmdir("/sys/fs/cgroup/\(controller)\(cgroupParent)") }
        rmdir("/sys/fs/cgroup\(cgroupParent)")
    }

    /// Runs `args` to completion with a spec the builder makes, and returns what it printed.
    func run(_ args: [String], _ change: (inout ContainerConfig, inout HostConfig) -> Void) async throws -> String {
        let id = "berth-spec-" + UUID().uuidString.lowercased()
        var config = ContainerConfig()
        var hostConfig = HostConfig()
        change(&config, &hostConfig)
        var request = SpecRequest(
            containerID: id, config: config, hostConfig: hostConfig, args: args, rootfsPath: directory.path + "/rootfs",
            networkFiles: NetworkFiles(hostname: directory.path + "/hostname"), cgroupParent: cgroupParent)
        request.initBinary = Self.tini
        try RuntimeSpecBuilder().configJSON(for: request).write(to: URL(fileURLWithPath: directory.path + "/config.json"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.runc)
        process.arguments = ["--root", directory.path + "/state", "run", "--bundle", directory.path, id]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "runc failed: \(text)")
        return text
    }
}
