import Archive
import Glibc

/// Writes files from open directories into a tar archive as Docker's tar appender does: uid, gid,
/// permission bits and whole-second mtimes as they are; symlink targets as stored; device numbers;
/// a file whose inode was already written becomes a hard link to that first name; the
/// `security.capability` xattr travels (revision 3 turned into 2); sockets are left out. Names are
/// sorted by their bytes in each directory. An entry that vanishes while the walk runs is skipped.
///
/// With `convertsOverlayWhiteouts`, for an overlayfs upper directory: a whiteout (character device
/// 0/0) becomes an empty file `.wh.NAME` and an opaque directory gets a `.wh..wh..opq` file, the
/// layer format image layers use.
final class TreeArchiver {
    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    private let writer: TarWriter
    private let convertsOverlayWhiteouts: Bool
    /// Entry names left out when they are only empty stubs: the mount points the runtime made in a
    /// container's layer (see `LayerArchive.runtimeMountPoints`).
    private let skippedStubs: Set<String>
    /// The first entry name written for each (device, inode) with more than one link.
    private var firstNames: [InodeKey: String] = [:]

    private struct InodeKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    init(writer: TarWriter, convertsOverlayWhiteouts: Bool = false, skippedStubs: Set<String> = []) {
        self.writer = writer
        self.convertsOverlayWhiteouts = convertsOverlayWhiteouts
        self.skippedStubs = skippedStubs
    }

    /// Writes the entry `name` of `directory` as `entryName`, then, for a directory, everything below
    /// it as `entryName/…` (`/…` when `entryName` is `/`).
    func addTree(_ name: String, in directory: DirectoryHandle, status: FileStatus, as entryName: String) throws {
        try addEntry(name, in: directory, status: status, as: entryName)
        guard status.kind == .directory else { return }
        try addContents(of: directory.openDirectory(name), under: entryName)
    }

    /// Writes a directory's entry (the root's, for instance, which has no parent handle) and everything below it.
    func addTree(_ directory: DirectoryHandle, status: FileStatus, as entryName: String) throws {
        try writer.append(entry(status, as: entryName))
        try addContents(of: directory, under: entryName)
    }

    /// Writes everything below `directory`, named `prefix/…`, or by their relative path when `prefix`
    /// is nil (an export or a layer).
    func addContents(of directory: DirectoryHandle, under prefix: String?) throws {
        if convertsOverlayWhiteouts, directory.isOverlayOpaque {
            let status = try directory.status()
            var marker = entry(status, as: Self.join(prefix, Self.opaqueMarker))
            marker.kind = .file
            marker.mode = status.permissions & 0o777
            try writer.append(marker)
        }
        for name in try directory.entryNames() {
            guard let status = try directory.status(of: name) else { continue }
            if convertsOverlayWhiteouts, status.isWhiteout {
                var whiteout = entry(status, as: Self.join(prefix, Self.whiteoutPrefix + name))
                whiteout.kind = .file
                whiteout.mode = 0o600
                try writer.append(whiteout)
                continue
            }
            let entryName = Self.join(prefix, name)
            if skippedStubs.contains(entryName), try isEmptyStub(name, in: directory, status: status) { continue }
            do {
                try addTree(name, in: directory, status: status, as: entryName)
            } catch let error as SystemCallError where error.isNotFound {
                continue
            }
        }
    }

    private func isEmptyStub(_ name: String, in directory: DirectoryHandle, status: FileStatus) throws -> Bool {
        switch status.kind {
        case .directory: try directory.openDirectory(name).entryNames().isEmpty
        case .regular: status.size == 0
        default: false
        }
    }

    /// Writes the one entry `name` of `directory` as `entryName`, with its data if it is a regular file.
    func addEntry(_ name: String, in directory: DirectoryHandle, status: FileStatus, as entryName: String) throws {
        guard status.kind != .socket else { return }
        var entry = entry(status, as: entryName)
        if status.kind != .directory, status.linkCount > 1 {
            let key = InodeKey(device: status.device, inode: status.inode)
            if let firstName = firstNames[key] {
                entry.kind = .hardlink
                entry.linkName = firstName
                try writer.append(entry)
                return
            }
            firstNames[key] = entryName
        }
        switch status.kind {
        case .symlink:
            entry.linkName = try directory.readLink(name)
            try writer.append(entry)
        case .regular:
            let file = try directory.openFile(name)
            var info = stat()
            try SystemCallError.retrying("stat", directory.pathOf(name)) { fstat(file.fileDescriptor, &info) }
            entry.size = Int64(info.st_size)
            if let capability = Self.capability(of: file.fileDescriptor) {
                entry.xattrs[Self.capabilityKey] = capability
            }
            try writer.append(entry, from: file)
        default:
            try writer.append(entry)
        }
    }

    private func entry(_ status: FileStatus, as entryName: String) -> TarEntry {
        let kind: TarEntry.Kind = switch status.kind {
        case .regular, .socket: .file
        case .directory: .directory
        case .symlink: .symlink
        case .characterDevice: .characterDevice
        case .blockDevice: .blockDevice
        case .fifo: .fifo
        }
        var entry = TarEntry(
            path: entryName, kind: kind, mode: status.permissions, uid: Int(status.uid), gid: Int(status.gid),
            mtime: status.modifiedSeconds)
        if kind == .characterDevice || kind == .blockDevice {
            entry.devMajor = status.deviceMajor
            entry.devMinor = status.deviceMinor
        }
        return entry
    }

    static func join(_ prefix: String?, _ name: String) -> String {
        guard let prefix else { return name }
        return prefix == "/" ? "/" + name : prefix + "/" + name
    }

    static let capabilityKey = "security.capability"

    /// The file's capabilities, a revision 3 value (namespaced root uid) turned into revision 2 as
    /// Docker does, since the uid means nothing outside the namespace it was set in.
    private static func capability(of descriptor: Int32) -> [UInt8]? {
        guard var value = DirectoryHandle.readAttribute({ ExtendedAttributeCalls.get(descriptor: descriptor, capabilityKey, $0, $1) }),
              !value.isEmpty
        else { return nil }
        let revisionByte = 3, revision3: UInt8 = 3, revision2: UInt8 = 2, revision2Size = 20
        if value.count > revisionByte, value[revisionByte] == revision3 {
            value[revisionByte] = revision2
            value = Array(value.prefix(revision2Size))
        }
        return value
    }
}
