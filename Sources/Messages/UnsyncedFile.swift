import Foundation

/// Files berthd writes anew every time what they describe starts (containerd's configuration and
/// pidfile, a container's hostname, hosts and resolv.conf): written in place without a sync, since a
/// crash leaves nothing the next start does not write again. Foundation's `write(to:)` and
/// `write(toFile:atomically:)` sync every file they write, atomically or not.
public enum UnsyncedFile {
    /// Replaces the contents of the file at `path` (created if missing, mode 0644) with `text`.
    public static func write(_ text: String, to path: String) throws {
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw EngineError.internal("open \(path): \(String(cString: strerror(errno)))") }
        try FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).write(contentsOf: Data(text.utf8))
    }
}
