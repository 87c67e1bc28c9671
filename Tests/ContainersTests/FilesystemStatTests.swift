import Containers
import Foundation
import Messages
import Testing

/// Path resolution inside a container root and the stat behind `HEAD /containers/{id}/archive`.
@Suite struct FilesystemStatTests {
    let fixture: FilesystemFixture
    let root: ContainerRoot

    init() throws {
        fixture = try FilesystemFixture()
        try fixture.makeDirectory("host/etc")
        try fixture.write("host/etc/passwd", "host secret\n")
        try fixture.makeDirectory("rootfs/etc")
        try fixture.write("rootfs/etc/passwd", "root:x:0:0\n")
        try fixture.makeDirectory("rootfs/data/sub")
        try fixture.write("rootfs/data/sub/file", "12345")
        try fixture.symlink("rootfs/escape-relative", to: "../../../../../etc/passwd")
        try fixture.symlink("rootfs/escape-absolute", to: "/etc/passwd")
        try fixture.symlink("rootfs/up", to: "../..")
        try fixture.symlink("rootfs/data/link", to: "sub/file")
        try fixture.symlink("rootfs/loop", to: "loop")
        root = ContainerRoot(path: fixture.at("rootfs"), containerName: "web")
    }

    @Test func symlinksResolveInsideTheRoot() throws {
        let inside = fixture.at("rootfs/etc/passwd")
        #expect(try root.resolve("/escape-relative") == inside)
        #expect(try root.resolve("escape-absolute") == inside)
        #expect(try root.resolve("/up/etc/passwd") == inside)
        #expect(try root.resolve("../../etc/passwd") == inside)
        #expect(try root.resolve("/data/link") == fixture.at("rootfs/data/sub/file"))
        #expect(try root.resolve("/data/missing/../sub") == fixture.at("rootfs/data/sub"))
        #expect(try root.resolve("/escape-absolute", followFinalSymlink: false) == fixture.at("rootfs/escape-absolute"))
        #expect(try root.resolve("/escape-absolute/", followFinalSymlink: false) == inside)
    }

    @Test func aSymlinkLoopIsAnError() {
        #expect(throws: EngineError.self) { try root.resolve("/loop") }
    }

    @Test func statOfAFileAndADirectory() throws {
        try fixture.setModificationTime("rootfs/data/sub/file", seconds: 1_700_000_000, nanoseconds: 500_000_000)
        let file = try root.stat("/data/sub/file")
        #expect(file == ContainerPathStat(name: "file", size: 5, mode: 0o644, mtime: "2023-11-14T22:13:20.5Z", linkTarget: ""))
        let directory = try root.stat("data/")
        #expect(directory.name == "data")
        #expect(directory.mode == 1 << 31 | 0o755)
        #expect(directory.isDirectory)
        #expect(try root.stat("/data/.").name == ".")
        #expect(try root.stat("/").name == "/")
    }

    @Test func statOfASymlinkNamesItsResolvedTarget() throws {
        let link = try root.stat("/escape-relative")
        #expect(link.mode == 1 << 27 | 0o777)
        #expect(link.linkTarget == "/etc/passwd")
        #expect(link.size == Int64("../../../../../etc/passwd".utf8.count))
        #expect(try root.stat("/data/link").linkTarget == "/data/sub/file")
    }

    @Test func theHeaderIsBase64JSONWithDockersKeys() throws {
        let stat = ContainerPathStat(name: "f", size: 3, mode: 0o600, mtime: "2024-01-01T00:00:00Z", linkTarget: "")
        let json = try #require(Data(base64Encoded: try stat.headerValue()))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["name", "size", "mode", "mtime", "linkTarget"])
        #expect(object["mode"] as? Int == 0o600)
        #expect(object["mtime"] as? String == "2024-01-01T00:00:00Z")
    }

    @Test func aMissingPathIsDockers404() {
        #expect(throws: EngineError.notFound("Could not find the file /nope in container web")) { try root.stat("/nope") }
        #expect(throws: EngineError.notFound("Could not find the file /etc/passwd/x in container web")) {
            try root.stat("/etc/passwd/x")
        }
        #expect(throws: EngineError.invalidArgument("bad parameter: path cannot be empty")) { try root.stat("") }
    }
}
