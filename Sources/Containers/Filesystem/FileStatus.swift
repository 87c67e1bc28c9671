import Glibc

/// What `lstat` says about one file, in the terms the filesystem operations use.
struct FileStatus {
    enum Kind {
        case regular, directory, symlink, characterDevice, blockDevice, fifo, socket
    }

    var kind: Kind
    /// Permission bits with setuid, setgid and sticky (`0o7777` at most).
    var permissions: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int
    /// The device and inode numbers: together they name the file on the host.
    var device: UInt64
    var inode: UInt64
    var linkCount: UInt64
    /// The device a character or block device file stands for (`st_rdev`).
    var representedDevice: UInt64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        default: kind = .regular
        }
        permissions = UInt32(info.st_mode & 0o7777)
        uid = info.st_uid
        gid = info.st_gid
        size = Int64(info.st_size)
        modifiedSeconds = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        linkCount = UInt64(info.st_nlink)
        representedDevice = UInt64(info.st_rdev)
    }

    /// Linux's split of `st_rdev` (glibc's `major()`).
    var deviceMajor: Int { Int(((representedDevice >> 8) & 0xfff) | ((representedDevice >> 32) & ~0xfff)) }
    /// Linux's split of `st_rdev` (glibc's `minor()`).
    var deviceMinor: Int { Int((representedDevice & 0xff) | ((representedDevice >> 12) & ~0xff)) }

    /// An overlayfs whiteout: a character device with device number 0/0 marks a deleted entry.
    var isWhiteout: Bool { kind == .characterDevice && representedDevice == 0 }

    /// glibc's `makedev()`.
    static func deviceNumber(major: Int, minor: Int) -> UInt64 {
        let major = UInt64(truncatingIfNeeded: major)
        let minor = UInt64(truncatingIfNeeded: minor)
        return ((major & 0xffff_f000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffff_ff00) << 12) | (minor & 0xff)
    }
}
