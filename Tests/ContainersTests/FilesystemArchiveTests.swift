import Archive
import Containers
import Foundation
import Glibc
import Messages
import Testing

/// `docker cp` out of a container (`GET /containers/{id}/archive`) and `docker export`.
@Suite(.enabled(if: getuid() == 0, "owners and device files need root"))
struct FilesystemArchiveTests {
    let fixture: FilesystemFixture
    let root: ContainerRoot

    init() throws {
        fixture = try FilesystemFixture()
        try fixture.makeDirectory("rootfs/app/lib")
        try fixture.write("rootfs/app/main.sh", "#!/bin/sh\n", mode: 0o4755)
        try fixture.write("rootfs/app/lib/a.txt", "alpha")
        try fixture.hardlink("rootfs/app/lib/b.txt", to: "rootfs/app/lib/a.txt")
        try fixture.symlink("rootfs/app/current", to: "/app/lib")
        try fixture.setOwner("rootfs/app/lib/a.txt", uid: 1000, gid: 1001)
        try fixture.setModificationTime("rootfs/app/main.sh", seconds: 1_600_000_000, nanoseconds: 999)
        try fixture.makeDirectory("rootfs/etc")
        try fixture.write("rootfs/etc/hostname", "box\n")
        root = ContainerRoot(path: fixture.at("rootfs"), containerName: "web")
    }

    @Test func aFileIsOneEntryNamedByItsBaseName() throws {
        var stat: ContainerPathStat?
        let members = try fixture.archive { stat = try root.archive("/app/main.sh", to: $0) }
        #expect(members.paths == ["main.sh"])
        let entry = try #require(members.first).entry
        #expect(entry.kind == .file)
        #expect(entry.mode == 0o4755)
        #expect(entry.mtime == 1_600_000_000)
        #expect(members.first?.contents == "#!/bin/sh\n")
        let reported = try #require(stat)
        #expect(reported.name == "main.sh")
        #expect(reported.mode == 1 << 23 | 0o755)
    }

    @Test func aDirectoryKeepsItsNameOwnersAndLinks() throws {
        let members = try fixture.archive { try root.archive("app", to: $0) }
        #expect(members.paths == ["app", "app/current", "app/lib", "app/lib/a.txt", "app/lib/b.txt", "app/main.sh"])
        let first = try #require(members["app/lib/a.txt"])
        #expect(first.entry.uid == 1000 && first.entry.gid == 1001)
        #expect(first.contents == "alpha")
        let second = try #require(members["app/lib/b.txt"]).entry
        #expect(second.kind == .hardlink)
        #expect(second.linkName == "app/lib/a.txt")
        let link = try #require(members["app/current"]).entry
        #expect(link.kind == .symlink && link.linkName == "/app/lib")
        #expect(members["app"]?.entry.kind == .directory)
    }

    @Test func aPathEndingInDotGivesTheContents() throws {
        let members = try fixture.archive { try root.archive("/app/lib/.", to: $0) }
        #expect(members.paths == [".", "a.txt", "b.txt"])
        #expect(members["a.txt"]?.contents == "alpha")
    }

    @Test func aSymlinkIsArchivedItselfUnlessTheTrailingSlashFollowsIt() throws {
        let link = try fixture.archive { try root.archive("/app/current", to: $0) }
        #expect(link.paths == ["current"])
        #expect(link.first?.entry.kind == .symlink)
        let followed = try fixture.archive { try root.archive("/app/current/", to: $0) }
        #expect(followed.paths == ["current", "current/a.txt", "current/b.txt"])
        let throughLink = try fixture.archive { try root.archive("/app/current/a.txt", to: $0) }
        #expect(throughLink.paths == ["a.txt"])
    }

    @Test func theRootIsArchivedWithAbsoluteNamesAsDockerDoes() throws {
        let members = try fixture.archive { try root.archive("/", to: $0) }
        #expect(members.paths.prefix(3) == ["/", "/app", "/app/current"])
        #expect(members.paths.contains("/etc/hostname"))
    }

    @Test func aMissingPathWritesNothingAndIs404() throws {
        #expect(throws: EngineError.notFound("Could not find the file /app/nope in container web")) {
            _ = try fixture.archive { try root.archive("/app/nope", to: $0) }
        }
    }

    @Test func exportHasEverythingButTheRootAndSockets() throws {
        let socketPath = fixture.at("rootfs/etc/control.sock")
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: socketPath.utf8.prefix($0.count - 1)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        try #require(mkfifo(fixture.at("rootfs/etc/pipe"), 0o600) == 0)
        try #require(mknod(fixture.at("rootfs/etc/null"), S_IFCHR | 0o666, makedevice(1, 3)) == 0)

        let members = try fixture.archive { try root.export(to: $0) }
        #expect(members.paths == [
            "app", "app/current", "app/lib", "app/lib/a.txt", "app/lib/b.txt", "app/main.sh",
            "etc", "etc/hostname", "etc/null", "etc/pipe",
        ])
        let device = try #require(members["etc/null"]).entry
        #expect(device.kind == .characterDevice && device.devMajor == 1 && device.devMinor == 3)
        #expect(members["etc/pipe"]?.entry.kind == .fifo)
        #expect(members["etc/hostname"]?.contents == "box\n")
    }
}

/// glibc's `makedev()`, for tests that make device files.
func makedevice(_ major: UInt64, _ minor: UInt64) -> dev_t {
    dev_t(((major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00) << 12) | (minor & 0xff))
}
