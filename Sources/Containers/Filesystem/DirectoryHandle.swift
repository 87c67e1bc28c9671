import Foundation
import Glibc

/// An open directory whose entries are reached by name relative to it, never by a path string, so
/// that a symlink swapped in by a running container cannot redirect a call: every lookup passes
/// `O_NOFOLLOW` or `AT_SYMLINK_NOFOLLOW`. The descriptor closes when the handle is released.
final class DirectoryHandle {
    let descriptor: Int32
    /// The directory's host path, for messages only.
    let path: String

    /// Opens a trusted host path (the mounted root, a snapshot's upper or lower directory).
    convenience init(openingPath path: String) throws {
        let descriptor = try SystemCallError.retrying("open", path) {
            open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        self.init(descriptor: descriptor, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// The host path of an entry, for messages.
    func pathOf(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// The directory's own status.
    func status() throws -> FileStatus {
        var info = stat()
        try SystemCallError.retrying("stat", path) { fstat(descriptor, &info) }
        return FileStatus(info)
    }

    /// The status of the entry `name` itself (a symlink is not followed), or nil when there is none.
    func status(of name: String) throws -> FileStatus? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            let error = SystemCallError("lstat", pathOf(name))
            if error.isNotFound { return nil }
            throw error
        }
        return FileStatus(info)
    }

    /// Opens the subdirectory `name`; fails when it is a symlink or not a directory.
    func openDirectory(_ name: String) throws -> DirectoryHandle {
        let opened = try SystemCallError.retrying("open", pathOf(name)) {
            openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        return DirectoryHandle(descriptor: opened, path: pathOf(name))
    }

    /// Opens the directory at `components` below this one, each component with `O_NOFOLLOW`.
    func openDirectory(components: some Collection<String>) throws -> DirectoryHandle {
        var directory = self
        for component in components {
            directory = try directory.openDirectory(component)
        }
        return directory
    }

    /// Opens the entry `name` for reading; fails when it is a symlink. The handle closes its
    /// descriptor when released.
    func openFile(_ name: String) throws -> FileHandle {
        let opened = try SystemCallError.retrying("open", pathOf(name)) {
            openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        return FileHandle(fileDescriptor: opened, closeOnDealloc: true)
    }

    /// Creates the regular file `name`, which must not exist, for writing.
    func createFile(_ name: String, permissions: UInt32) throws -> FileHandle {
        let created = try SystemCallError.retrying("create", pathOf(name)) {
            openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(permissions))
        }
        return FileHandle(fileDescriptor: created, closeOnDealloc: true)
    }

    /// The target of the symlink `name`, as stored.
    func readLink(_ name: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try SystemCallError.retrying("readlink", pathOf(name)) {
            readlinkat(descriptor, name, &buffer, buffer.count - 1)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names of the directory's entries, without `.` and `..`, sorted by their bytes as Go sorts
    /// them, so that archives and change lists come out in Docker's order.
    func entryNames() throws -> [String] {
        let duplicate = try SystemCallError.retrying("dup", path) { dup(descriptor) }
        guard let stream = fdopendir(duplicate) else {
            let error = SystemCallError("opendir", path)
            close(duplicate)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw SystemCallError("readdir", path) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The extended attribute `key` of the directory itself, or nil when it has none.
    func attribute(_ key: String) -> [UInt8]? {
        Self.readAttribute { buffer, size in ExtendedAttributeCalls.get(descriptor: descriptor, key, buffer, size) }
    }

    /// The extended attribute `key` of the entry `name` itself (not of a symlink's target).
    func attribute(_ key: String, of name: String) -> [UInt8]? {
        let entryPath = procPath(of: name)
        return Self.readAttribute { buffer, size in ExtendedAttributeCalls.get(path: entryPath, key, buffer, size) }
    }

    /// A path that reaches the entry `name` through this descriptor (`/proc/self/fd/N/name`), for the
    /// calls that have no `…at` form; only its last component is looked up by name.
    func procPath(of name: String) -> String {
        "/proc/self/fd/\(descriptor)/\(name)"
    }

    /// Whether overlayfs treats the directory as opaque: it hides the lower layers' entries.
    var isOverlayOpaque: Bool {
        attribute("trusted.overlay.opaque") == Array("y".utf8)
    }

    /// Reads an attribute with `read(buffer, size)`, first asking its size; nil when it is absent.
    static func readAttribute(_ read: (UnsafeMutableRawPointer?, Int) -> Int) -> [UInt8]? {
        let size = read(nil, 0)
        guard size >= 0 else { return nil }
        guard size > 0 else { return [] }
        var value = [UInt8](repeating: 0, count: size)
        let count = value.withUnsafeMutableBytes { read($0.baseAddress, size) }
        guard count >= 0 else { return nil }
        return Array(value.prefix(count))
    }
}
