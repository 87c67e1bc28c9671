import Archive
@testable import Containers
import Foundation
import Glibc
import Messages
import Testing

/// `docker diff` and the layer of `docker commit`, for plain trees (`native`) and overlayfs.
@Suite struct FilesystemChangesTests {
    let fixture: FilesystemFixture

    init() throws {
        fixture = try FilesystemFixture()
    }

    /// The image's tree, in `directory`, with fixed times so that a copy compares equal.
    private func makeImageTree(_ directory: String) throws {
        try fixture.makeDirectory("\(directory)/etc")
        try fixture.write("\(directory)/etc/passwd", "root:x:0:0\n")
        try fixture.write("\(directory)/etc/hosts", "127.0.0.1 localhost\n")
        try fixture.makeDirectory("\(directory)/bin")
        try fixture.write("\(directory)/bin/sh", "#!", mode: 0o755)
        try fixture.makeDirectory("\(directory)/var/lib/x")
        try fixture.write("\(directory)/var/lib/x/y", "y")
        try fixture.makeDirectory("\(directory)/keep")
        try fixture.write("\(directory)/keep/a", "a")
        for path in ["etc/passwd", "etc/hosts", "bin/sh", "var/lib/x/y", "keep/a"] {
            try fixture.setModificationTime("\(directory)/\(path)", seconds: 1_600_000_000)
        }
    }

    private func copyTree(_ source: String, to destination: String) throws {
        let copy = try Process.run(URL(fileURLWithPath: "/bin/cp"), arguments: ["-a", fixture.at(source), fixture.at(destination)])
        copy.waitUntilExit()
        try #require(copy.terminationStatus == 0)
    }

    private func render(_ changes: [FilesystemChange]) -> [String] {
        changes.map { "\(["C", "A", "D"][$0.kind.rawValue]) \($0.path)" }
    }

    @Test func plainTreesCompareByTypeModeOwnerSizeAndTime() throws {
        try makeImageTree("image")
        try copyTree("image", to: "container")
        try fixture.write("container/etc/passwd", "root:x:0:0\nuser:x:1000:1000\n")
        try FileManager.default.removeItem(atPath: fixture.at("container/etc/hosts"))
        try fixture.write("container/etc/new", "new")
        try FileManager.default.removeItem(atPath: fixture.at("container/var/lib"))
        chmod(fixture.at("container/bin/sh"), 0o700)
        try fixture.makeDirectory("container/new/sub")
        try fixture.write("container/new/sub/f", "f")

        let changes = try ContainerChanges.between(fixture.at("container"), base: fixture.at("image"))
        #expect(render(changes) == [
            "C /bin", "C /bin/sh", "C /etc", "D /etc/hosts", "A /etc/new", "C /etc/passwd",
            "A /new", "A /new/sub", "A /new/sub/f", "C /var", "D /var/lib",
        ])
        #expect(try ContainerChanges.between(fixture.at("image"), base: fixture.at("image")).isEmpty)
        #expect(try render(ContainerChanges.between(fixture.at("image/keep"), base: nil)) == ["A /a"])

        let layer = try fixture.archive { try LayerArchive.writeDifference(of: fixture.at("container"), base: fixture.at("image"), to: $0) }
        #expect(layer.paths == [
            "bin", "bin/sh", "etc", "etc/.wh.hosts", "etc/new", "etc/passwd", "new", "new/sub", "new/sub/f", "var", "var/.wh.lib",
        ])
        #expect(layer["etc/passwd"]?.contents == "root:x:0:0\nuser:x:1000:1000\n")
        #expect(layer["bin/sh"]?.entry.mode == 0o700)
    }

    @Test(.enabled(if: getuid() == 0, "mounting overlayfs needs root"))
    func overlayChangesMatchComparingTheMountedTrees() throws {
        try makeImageTree("lower2")
        try fixture.makeDirectory("lower2/opt/old")
        try fixture.write("lower2/opt/old/o1", "o1")
        try fixture.makeDirectory("lower1/opt/old")
        try #require(mknod(fixture.at("lower1/opt/old/o1"), S_IFCHR, 0) == 0, "a whiteout in the upper lower layer")
        guard try fixture.mountOverlay(lower: ["lower1", "lower2"], upper: "upper", work: "work", merged: "merged"),
              try fixture.mountOverlay(lower: ["lower1", "lower2"], upper: "image-upper", work: "image-work", merged: "image")
        else {
            Issue.record("cannot mount overlayfs here")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.at("merged/opt/old/o1")))
        try fixture.write("merged/etc/passwd", "root:x:0:0\nuser:x:1000:1000\n")
        try FileManager.default.removeItem(atPath: fixture.at("merged/etc/hosts"))
        try fixture.write("merged/etc/new", "new")
        try FileManager.default.removeItem(atPath: fixture.at("merged/var/lib"))
        try fixture.makeDirectory("merged/var/lib")
        try fixture.write("merged/var/lib/z", "z")
        try fixture.write("merged/opt/old/o1", "again")
        try fixture.makeDirectory("merged/new")
        chmod(fixture.at("merged/bin/sh"), 0o700)
        try fixture.write("merged/keep/tmp", "t")
        try FileManager.default.removeItem(atPath: fixture.at("merged/keep/tmp"))

        let changes = try ContainerChanges.overlay(
            upperDirectory: fixture.at("upper"), lowerDirectories: [fixture.at("lower1"), fixture.at("lower2")])
        #expect(render(changes) == [
            "C /bin", "C /bin/sh", "C /etc", "D /etc/hosts", "A /etc/new", "C /etc/passwd", "A /new",
            "C /opt", "C /opt/old", "A /opt/old/o1", "C /var", "C /var/lib", "D /var/lib/x", "A /var/lib/z",
        ])
        #expect(try ContainerChanges.between(fixture.at("merged"), base: fixture.at("image")) == changes)

        let layer = try fixture.archive { try LayerArchive.writeOverlay(upperDirectory: fixture.at("upper"), to: $0) }
        #expect(layer["etc/.wh.hosts"]?.entry.kind == .file)
        #expect(layer["var/lib/.wh..wh..opq"]?.entry.kind == .file)
        #expect(layer["var/lib/z"]?.contents == "z")
        #expect(layer["etc/passwd"]?.contents == "root:x:0:0\nuser:x:1000:1000\n")
        #expect(!layer.contains { $0.entry.kind == .characterDevice })
        let opaque = try #require(layer.paths.firstIndex(of: "var/lib/.wh..wh..opq"))
        #expect(layer.paths[opaque - 1] == "var/lib")
    }

    @Test(.enabled(if: getuid() == 0, "mounting overlayfs needs root"))
    func anOpaqueDirectoryInALowerLayerHidesTheLayersBelow() throws {
        try fixture.makeDirectory("lower2/var/lib/x")
        try fixture.write("lower2/var/lib/x/y", "y")
        try fixture.makeDirectory("lower1/var/lib")
        try fixture.write("lower1/var/lib/only1", "1")
        let opaque = ExtendedAttributeCalls.set(path: fixture.at("lower1/var/lib"), "trusted.overlay.opaque", "y", 1)
        try #require(opaque == 0)
        guard try fixture.mountOverlay(lower: ["lower1", "lower2"], upper: "upper", work: "work", merged: "merged"),
              try fixture.mountOverlay(lower: ["lower1", "lower2"], upper: "image-upper", work: "image-work", merged: "image")
        else {
            Issue.record("cannot mount overlayfs here")
            return
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.at("merged/var/lib")) == ["only1"])
        try fixture.makeDirectory("merged/var/lib/x")

        let changes = try ContainerChanges.overlay(
            upperDirectory: fixture.at("upper"), lowerDirectories: [fixture.at("lower1"), fixture.at("lower2")])
        #expect(render(changes) == ["C /var", "C /var/lib", "A /var/lib/x"])
        #expect(try ContainerChanges.between(fixture.at("merged"), base: fixture.at("image")) == changes)
    }
}
