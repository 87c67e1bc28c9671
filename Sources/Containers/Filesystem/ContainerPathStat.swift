import Foundation
import Glibc
import Messages

/// What `HEAD` and `GET /containers/{id}/archive` say about a path in the
/// `X-Docker-Container-Path-Stat` header: Docker's `ContainerPathStat`, with the same JSON keys.
public struct ContainerPathStat: Sendable, Hashable, Codable {
    /// The resource's base name as requested: `.` for a path ending in `/.`, `/` for the root.
    public var name: String
    public var size: Int64
    /// Type and permission bits as Go's `os.FileMode`: directory `1 << 31`, symlink `1 << 27`, device
    /// `1 << 26`, named pipe `1 << 25`, socket `1 << 24`, setuid `1 << 23`, setgid `1 << 22`,
    /// character device `1 << 21`, sticky `1 << 20`, then the `0o777` permissions.
    public var mode: UInt32
    /// Modification time, RFC 3339 in UTC with nanoseconds as Go writes it (`2024-05-01T10:00:00.5Z`).
    public var mtime: String
    /// For a symlink, where it leads, resolved within the container root (`/usr/bin/python3.11`);
    /// empty otherwise.
    public var linkTarget: String

    public init(name: String, size: Int64, mode: UInt32, mtime: String, linkTarget: String) {
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }

    /// Whether `mode` says directory.
    public var isDirectory: Bool { mode & GoFileMode.directory != 0 }

    /// The value of the `X-Docker-Container-Path-Stat` header: base64 of the JSON object.
    public func headerValue() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(self).base64EncodedString()
    }

    init(name: String, status: FileStatus, linkTarget: String) {
        self.init(
            name: name, size: status.size, mode: status.goFileMode,
            // Go's time.RFC3339Nano, as Docker writes it.
            mtime: UnixTime.rfc3339(seconds: status.modifiedSeconds, nanoseconds: status.modifiedNanoseconds, fraction: .trimmed),
            linkTarget: linkTarget)
    }
}

/// The bits of Go's `os.FileMode` that Docker's API carries.
enum GoFileMode {
    static let directory: UInt32 = 1 << 31
    static let symlink: UInt32 = 1 << 27
    static let device: UInt32 = 1 << 26
    static let namedPipe: UInt32 = 1 << 25
    static let socket: UInt32 = 1 << 24
    static let setuid: UInt32 = 1 << 23
    static let setgid: UInt32 = 1 << 22
    static let characterDevice: UInt32 = 1 << 21
    static let sticky: UInt32 = 1 << 20
}

extension FileStatus {
    /// The mode as Go's `os.Lstat` reports it.
    var goFileMode: UInt32 {
        var mode = permissions & 0o777
        switch kind {
        case .directory: mode |= GoFileMode.directory
        case .symlink: mode |= GoFileMode.symlink
        case .characterDevice: mode |= GoFileMode.device | GoFileMode.characterDevice
        case .blockDevice: mode |= GoFileMode.device
        case .fifo: mode |= GoFileMode.namedPipe
        case .socket: mode |= GoFileMode.socket
        case .regular: break
        }
        if permissions & UInt32(S_ISUID) != 0 { mode |= GoFileMode.setuid }
        if permissions & UInt32(S_ISGID) != 0 { mode |= GoFileMode.setgid }
        if permissions & UInt32(S_ISVTX) != 0 { mode |= GoFileMode.sticky }
        return mode
    }
}
