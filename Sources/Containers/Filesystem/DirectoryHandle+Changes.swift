import Glibc

/// The calls that create, change and remove entries. Like the lookups, none follows a symlink at
/// the entry itself.
extension DirectoryHandle {
    func makeDirectory(_ name: String, permissions: UInt32) throws {
        try SystemCallError.retrying("mkdir", pathOf(name)) { mkdirat(descriptor, name, mode_t(permissions)) }
    }

    func makeSymlink(_ name: String, target: String) throws {
        try SystemCallError.retrying("symlink", pathOf(name)) { symlinkat(target, descriptor, name) }
    }

    /// Makes `name` a hard link to the entry `targetName` of `targetDirectory` (a symlink there is
    /// linked itself, not followed).
    func makeHardlink(_ name: String, to targetName: String, in targetDirectory: DirectoryHandle) throws {
        try SystemCallError.retrying("link", pathOf(name)) {
            linkat(targetDirectory.descriptor, targetName, descriptor, name, 0)
        }
    }

    /// Makes a device or fifo: `type` is `S_IFCHR`, `S_IFBLK` or `S_IFIFO`.
    func makeNode(_ name: String, type: mode_t, permissions: UInt32, device: UInt64) throws {
        try SystemCallError.retrying("mknod", pathOf(name)) {
            mknodat(descriptor, name, type | mode_t(permissions), dev_t(device))
        }
    }

    /// Removes the entry `name`, with everything below it when it is a directory.
    func removeItem(_ name: String) throws {
        if try status(of: name)?.kind == .directory {
            let directory = try openDirectory(name)
            for child in try directory.entryNames() {
                try directory.removeItem(child)
            }
            try SystemCallError.retrying("rmdir", pathOf(name)) { unlinkat(descriptor, name, AT_REMOVEDIR) }
        } else {
            try SystemCallError.retrying("unlink", pathOf(name)) { unlinkat(descriptor, name, 0) }
        }
    }

    /// `lchown`: changes the owner of the entry itself.
    func setOwner(of name: String, uid: UInt32, gid: UInt32) throws {
        try SystemCallError.retrying("lchown", pathOf(name)) {
            fchownat(descriptor, name, uid, gid, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Sets the permission bits (with setuid, setgid, sticky) of an entry that is not a symlink; glibc
    /// refuses (`EOPNOTSUPP`) rather than follow one.
    func setPermissions(of name: String, _ permissions: UInt32) throws {
        try SystemCallError.retrying("chmod", pathOf(name)) {
            fchmodat(descriptor, name, mode_t(permissions), AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Sets the access and modification times of the entry itself to `seconds`.
    func setTimes(of name: String, seconds: Int64) throws {
        let time = timespec(tv_sec: Int(seconds), tv_nsec: 0)
        let times = [time, time]
        try SystemCallError.retrying("utimes", pathOf(name)) {
            utimensat(descriptor, name, times, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Sets the extended attribute `key` of the entry itself.
    func setAttribute(_ key: String, _ value: [UInt8], of name: String) throws {
        let entryPath = procPath(of: name)
        try SystemCallError.retrying("setxattr \(key)", pathOf(name)) {
            value.withUnsafeBytes { ExtendedAttributeCalls.set(path: entryPath, key, $0.baseAddress, value.count) }
        }
    }
}
