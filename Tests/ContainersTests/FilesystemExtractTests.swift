import Archive
import Containers
import Foundation
import Glibc
import Messages
import Testing

/// `docker cp` into a container (`PUT /containers/{id}/archive`): extraction confined to the root.
@Suite(.enabled(if: getuid() == 0, "extraction sets owners, which needs root"))
struct FilesystemExtractTests {
    let fixture: FilesystemFixture
    let root: ContainerRoot

    init() throws {
        fixture = try FilesystemFixture()
        try fixture.makeDirectory("host")
        try fixture.write("host/secret", "host\n")
        try fixture.makeDirectory("rootfs/tmp")
        try fixture.makeDirectory("rootfs/etc")
        try fixture.write("rootfs/etc/passwd", "root:x:0:0\n")
        try fixture.write("rootfs/file", "plain")
        root = ContainerRoot(path: fixture.at("rootfs"), containerName: "web")
    }

    /// The host directory outside the root is as the fixture made it.
    private func expectHostUntouched() throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.at("host")) == ["secret"])
        #expect(fixture.read("host/secret") == "host\n")
    }

    @Test func entriesKeepModesTimesLinksAndTheArchiveOwners() throws {
        let archive = try fixture.makeArchive { tar in
            try tar.addDirectory(path: "x", mode: 0o750, mtime: 1_500_000_000)
            try tar.append(TarEntry(path: "x/f", kind: .file, mode: 0o4640, uid: 1000, gid: 1001, mtime: 1_400_000_000), contents: Array("data".utf8))
            try tar.addSymlink(path: "x/l", target: "f")
            try tar.append(TarEntry(path: "x/h", kind: .hardlink, mode: 0o4640, uid: 1000, gid: 1001, mtime: 1_400_000_000, linkName: "x/f"))
            try tar.append(TarEntry(path: "x/fifo", kind: .fifo, mode: 0o600))
            try tar.addFile(path: "deep/er/g", contents: Array("g".utf8))
        }
        try root.extract(archiveAt: archive, into: "/tmp")

        #expect(fixture.read("rootfs/tmp/x/f") == "data")
        let file = try #require(fixture.status("rootfs/tmp/x/f"))
        #expect(file.st_mode & 0o7777 == 0o4640)
        #expect(file.st_uid == 1000 && file.st_gid == 1001)
        #expect(file.st_mtim.tv_sec == 1_400_000_000)
        #expect(file.st_nlink == 2)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.at("rootfs/tmp/x/l")) == "f")
        let directory = try #require(fixture.status("rootfs/tmp/x"))
        #expect(directory.st_mode & 0o7777 == 0o750)
        #expect(directory.st_mtim.tv_sec == 1_500_000_000)
        #expect(try #require(fixture.status("rootfs/tmp/x/fifo")).st_mode & S_IFMT == S_IFIFO)
        let created = try #require(fixture.status("rootfs/tmp/deep"))
        #expect(created.st_mode & 0o7777 == 0o755 && created.st_uid == 0)
        #expect(fixture.read("rootfs/tmp/deep/er/g") == "g")
    }

    @Test func anOwnerOptionOverridesTheArchive() throws {
        let archive = try fixture.makeArchive { tar in
            try tar.append(TarEntry(path: "f", kind: .file, uid: 1000, gid: 1000), contents: [])
        }
        try root.extract(archiveAt: archive, into: "tmp", options: ExtractOptions(owner: FileOwner(uid: 7, gid: 8)))
        let file = try #require(fixture.status("rootfs/tmp/f"))
        #expect(file.st_uid == 7 && file.st_gid == 8)
    }

    @Test func theDestinationMustBeAnExistingDirectory() throws {
        let archive = try fixture.makeArchive { try $0.addFile(path: "f", contents: []) }
        #expect(throws: EngineError.notFound("Could not find the file /nope in container web")) {
            try root.extract(archiveAt: archive, into: "/nope")
        }
        #expect(throws: EngineError.invalidArgument("extraction point is not a directory")) {
            try root.extract(archiveAt: archive, into: "/file")
        }
    }

    @Test func anEntryClimbingOutIsRefused() throws {
        let archive = try fixture.makeArchive { try $0.addFile(path: "../../../host/secret", contents: Array("owned".utf8)) }
        #expect(throws: EngineError.self) { try root.extract(archiveAt: archive, into: "/tmp") }
        let absolute = try fixture.makeArchive { try $0.addFile(path: "/../../x", contents: Array("x".utf8)) }
        try root.extract(archiveAt: absolute, into: "/tmp")
        #expect(fixture.read("rootfs/tmp/x") == "x")
        try expectHostUntouched()
    }

    @Test func aFileWrittenThroughAnAbsoluteSymlinkEntryStaysInside() throws {
        let hostDirectory = fixture.at("host")
        let archive = try fixture.makeArchive { tar in
            try tar.addSymlink(path: "etc-link", target: "/etc")
            try tar.addFile(path: "etc-link/passwd", contents: Array("replaced\n".utf8))
            try tar.addSymlink(path: "host-link", target: hostDirectory)
            try tar.addFile(path: "host-link/secret", contents: Array("owned\n".utf8))
        }
        try root.extract(archiveAt: archive, into: "/tmp")
        #expect(fixture.read("rootfs/etc/passwd") == "replaced\n")
        #expect(fixture.read("rootfs" + hostDirectory + "/secret") == "owned\n")
        try expectHostUntouched()
    }

    @Test func aSymlinkInTheContainerPointingOutIsFollowedInsideOnly() throws {
        try fixture.symlink("rootfs/tmp/out", to: "../../../../../../host")
        try fixture.symlink("rootfs/abs", to: fixture.at("host"))
        let archive = try fixture.makeArchive { try $0.addFile(path: "out/secret", contents: Array("owned\n".utf8)) }
        try root.extract(archiveAt: archive, into: "/tmp")
        #expect(fixture.read("rootfs/host/secret") == "owned\n")
        #expect(throws: EngineError.notFound("Could not find the file /abs in container web")) {
            try root.extract(archiveAt: archive, into: "/abs")
        }
        try expectHostUntouched()
    }

    @Test func linksClimbingOutOfTheDestinationAreRefused() throws {
        let symlink = try fixture.makeArchive { try $0.addSymlink(path: "a", target: "../../../host/secret") }
        #expect(throws: EngineError.invalidArgument(#"invalid symlink "/tmp/a" -> "../../../host/secret""#)) {
            try root.extract(archiveAt: symlink, into: "/tmp")
        }
        let hardlink = try fixture.makeArchive { try $0.addHardlink(path: "h", target: "../etc/passwd") }
        #expect(throws: EngineError.invalidArgument(#"invalid hardlink "/tmp/h" -> "../etc/passwd""#)) {
            try root.extract(archiveAt: hardlink, into: "/tmp")
        }
        let inside = try fixture.makeArchive { try $0.addSymlink(path: "sub/up", target: "../x") }
        try root.extract(archiveAt: inside, into: "/tmp")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.at("rootfs/tmp/sub/up")) == "../x")
    }

    @Test func noOverwriteDirNonDirRefusesToReplaceEitherWay() throws {
        try fixture.makeDirectory("rootfs/tmp/d")
        try fixture.write("rootfs/tmp/d/keep", "keep")
        try fixture.write("rootfs/tmp/f", "file")
        let fileOverDirectory = try fixture.makeArchive { try $0.addFile(path: "d", contents: []) }
        let directoryOverFile = try fixture.makeArchive { try $0.addDirectory(path: "f") }
        let strict = ExtractOptions(noOverwriteDirNonDir: true)
        #expect(throws: EngineError.conflict(#"cannot overwrite directory "/tmp/d" with non-directory "/tmp""#)) {
            try root.extract(archiveAt: fileOverDirectory, into: "/tmp", options: strict)
        }
        #expect(throws: EngineError.conflict(#"cannot overwrite non-directory "/tmp/f" with directory "/tmp""#)) {
            try root.extract(archiveAt: directoryOverFile, into: "/tmp", options: strict)
        }
        #expect(fixture.read("rootfs/tmp/d/keep") == "keep")

        try root.extract(archiveAt: fileOverDirectory, into: "/tmp")
        try root.extract(archiveAt: directoryOverFile, into: "/tmp")
        #expect(try #require(fixture.status("rootfs/tmp/d")).st_mode & S_IFMT == S_IFREG)
        #expect(try #require(fixture.status("rootfs/tmp/f")).st_mode & S_IFMT == S_IFDIR)
    }

    @Test func theDestinationEntryAndMergedDirectoriesStay() throws {
        try fixture.makeDirectory("rootfs/tmp/d")
        try fixture.write("rootfs/tmp/d/old", "old")
        let archive = try fixture.makeArchive { tar in
            try tar.addDirectory(path: ".", mode: 0o700)
            try tar.addDirectory(path: "d", mode: 0o711)
            try tar.addFile(path: "d/new", contents: Array("new".utf8))
        }
        try root.extract(archiveAt: archive, into: "/tmp")
        #expect(try #require(fixture.status("rootfs/tmp")).st_mode & 0o7777 == 0o755)
        #expect(try #require(fixture.status("rootfs/tmp/d")).st_mode & 0o7777 == 0o711)
        #expect(fixture.read("rootfs/tmp/d/old") == "old")
        #expect(fixture.read("rootfs/tmp/d/new") == "new")
    }

    @Test func aTruncatedArchiveIsABadRequest() throws {
        let archive = try fixture.makeArchive { try $0.addFile(path: "big", contents: Array(repeating: 1, count: 4096)) }
        let handle = try #require(FileHandle(forUpdatingAtPath: archive))
        try handle.truncate(atOffset: 1024)
        try handle.close()
        #expect {
            try root.extract(archiveAt: archive, into: "/tmp")
        } throws: { error in
            (error as? EngineError)?.code == .invalidArgument
        }
    }
}
