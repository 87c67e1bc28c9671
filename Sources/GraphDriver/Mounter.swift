import Foundation
import CMounts
import Glibc
import Messages

/// Mounts containerd's snapshot mounts with mount(2), the way containerd's own mount package does for
/// the `overlay` and `bind` types the overlayfs and native snapshotters return.
enum Mounter {
    static func mount(_ mounts: [FilesystemMount], at target: String) throws {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard !isMountPoint(target) else { return }
        for mount in mounts {
            let (flags, data) = parse(mount.options)
            let isBind = flags & UInt(MS_BIND) != 0
            let result = Glibc.mount(mount.source, target, isBind ? nil : mount.type, flags & ~UInt(MS_RDONLY), data.isEmpty ? nil : data)
            guard result == 0 else {
                throw EngineError.internal("mount \(mount.type) at \(target): \(String(cString: strerror(errno)))")
            }
            if isBind && flags & UInt(MS_RDONLY) != 0 {
                _ = Glibc.mount("", target, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil)
            }
        }
    }

    /// Detaches every mount stacked at `target` (MNT_DETACH: each goes once nothing uses it); nothing to
    /// do when nothing is mounted there (umount2 answers EINVAL).
    static func unmount(_ target: String) throws {
        while umount2(target, Int32(MNT_DETACH)) == 0 {}
        guard errno == EINVAL || errno == ENOENT else {
            throw EngineError.internal("unmount \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether `path` is the root of a mount: statx's `STATX_ATTR_MOUNT_ROOT` in one call; on kernels
    /// older than 5.8, a look through /proc/self/mountinfo, which lists every mount on the host.
    static func isMountPoint(_ path: String) -> Bool {
        switch berth_is_mount_root(path) {
        case 1: return true
        case 0: return false
        default: return errno == ENOTSUP && isListedInMountinfo(path)
        }
    }

    /// Whether `path` is listed as a mount point in /proc/self/mountinfo. The file is read to its end:
    /// `String(contentsOfFile:)` stops after the first 4000 bytes of a procfs file.
    private static func isListedInMountinfo(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/mountinfo"), let data = try? handle.readToEnd() else { return false }
        try? handle.close()
        let info = String(decoding: data, as: UTF8.self)
        let escaped = path.replacingOccurrences(of: " ", with: "\\040")
        return info.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", maxSplits: 5)
            return fields.count > 4 && fields[4] == escaped
        }
    }

    /// mount(2) flags and the filesystem data string of an options list.
    private static func parse(_ options: [String]) -> (UInt, String) {
        var flags: UInt = 0
        var data: [String] = []
        for option in options {
            switch option {
            case "bind": flags |= UInt(MS_BIND)
            case "rbind": flags |= UInt(MS_BIND | MS_REC)
            case "ro": flags |= UInt(MS_RDONLY)
            case "rw", "defaults": break
            case "nosuid": flags |= UInt(MS_NOSUID)
            case "nodev": flags |= UInt(MS_NODEV)
            case "noexec": flags |= UInt(MS_NOEXEC)
            default: data.append(option)
            }
        }
        return (flags, data.joined(separator: ","))
    }
}
