import Archive
import Foundation
import Glibc

/// A unique temporary directory for one filesystem test, removed (after unmounting anything the
/// test mounted in it) when the fixture is released; helpers build trees in it and read tars.
final class FilesystemFixture {
    let path: String
    private var mountPoints: [String] = []

    init() throws {
        var template = Array("/tmp/berth-fs-test-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw FilesystemFixtureError("mkdtemp failed") }
        path = String(cString: created)
    }

    deinit {
        for mountPoint in mountPoints.reversed() {
            umount2(mountPoint, Int32(MNT_DETACH))
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The host path of `relative` inside the fixture.
    func at(_ relative: String) -> String {
        relative.isEmpty ? path : path + "/" + relative
    }

    func makeDirectory(_ relative: String, mode: mode_t = 0o755) throws {
        try FileManager.default.createDirectory(atPath: at(relative), withIntermediateDirectories: true)
        chmod(at(relative), mode)
    }

    func write(_ relative: String, _ contents: String, mode: mode_t = 0o644) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: at(relative)))
        chmod(at(relative), mode)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: at(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    func symlink(_ relative: String, to target: String) throws {
        guard Glibc.symlink(target, at(relative)) == 0 else { throw FilesystemFixtureError("symlink \(relative)") }
    }

    func hardlink(_ relative: String, to existing: String) throws {
        guard link(at(existing), at(relative)) == 0 else { throw FilesystemFixtureError("link \(relative)") }
    }

    func setOwner(_ relative: String, uid: uid_t, gid: gid_t) throws {
        guard lchown(at(relative), uid, gid) == 0 else { throw FilesystemFixtureError("chown \(relative)") }
    }

    func setModificationTime(_ relative: String, seconds: Int, nanoseconds: Int = 0) throws {
        let time = timespec(tv_sec: seconds, tv_nsec: nanoseconds)
        guard utimensat(AT_FDCWD, at(relative), [time, time], AT_SYMLINK_NOFOLLOW) == 0 else {
            throw FilesystemFixtureError("utimes \(relative)")
        }
    }

    func status(_ relative: String) -> stat? {
        var info = stat()
        return lstat(at(relative), &info) == 0 ? info : nil
    }

    /// Mounts an overlay of `lower` (topmost first) and `upper` at `merged`, unmounted when the
    /// fixture is released; false when this machine cannot (not root, no overlayfs).
    func mountOverlay(lower: [String], upper: String, work: String, merged: String) throws -> Bool {
        for directory in [upper, work, merged] { try makeDirectory(directory) }
        let options = "lowerdir=\(lower.map(at).joined(separator: ":")),upperdir=\(at(upper)),workdir=\(at(work))"
        guard mount("overlay", at(merged), "overlay", 0, options) == 0 else { return false }
        mountPoints.append(at(merged))
        return true
    }

    /// A tar written by `body` to a file in the fixture, read back.
    func archive(_ body: (FileHandle) throws -> Void) throws -> [FilesystemArchiveMember] {
        let file = at("output-\(UUID().uuidString).tar")
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw FilesystemFixtureError("create \(file)")
        }
        try body(handle)
        try handle.close()
        return try Self.members(ofArchiveAt: file)
    }

    /// Writes a tar with `body` to a file in the fixture and returns its path.
    func makeArchive(_ body: (TarWriter) throws -> Void) throws -> String {
        let file = at("input-\(UUID().uuidString).tar")
        let writer = try TarWriter(fileAt: file)
        try body(writer)
        try writer.finish()
        return file
    }

    static func members(ofArchiveAt file: String) throws -> [FilesystemArchiveMember] {
        let reader = try TarReader(fileAt: file)
        var members: [FilesystemArchiveMember] = []
        while let entry = try reader.next() {
            members.append(FilesystemArchiveMember(entry: entry, contents: String(decoding: try reader.readData(maxBytes: 1 << 20), as: UTF8.self)))
        }
        return members
    }
}

/// One entry of a tar a test read back, with its data as text.
struct FilesystemArchiveMember {
    var entry: TarEntry
    var contents: String
}

extension [FilesystemArchiveMember] {
    var paths: [String] { map(\.entry.path) }

    subscript(path: String) -> FilesystemArchiveMember? { first { $0.entry.path == path } }
}

struct FilesystemFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
