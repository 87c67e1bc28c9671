import Glibc

/// A path inside a container root after Docker's `FollowSymlinkInScope`: each symlink on the way is
/// replaced by its target, an absolute target counting from the root and `..` never climbing above
/// it, so the result names a place inside the root whatever the links say. Components that do not
/// exist are kept as named. Resolution walks open directories (`DirectoryHandle`), so a symlink
/// swapped in while it runs makes a later call fail rather than leave the root.
struct ScopedPath {
    /// The components below the root; none of those that exist is a symlink, except a last one
    /// added with `appending(_:)`.
    private(set) var components: [String]
    /// `directories[i]` is the open directory at `components[..<i]`: the root, then one for each
    /// leading component that exists as a directory.
    private(set) var directories: [DirectoryHandle]

    static let maxSymlinks = 255

    /// Resolves lexically clean `components` from `root`, following every symlink.
    static func resolve(_ components: [String], in root: DirectoryHandle) throws -> ScopedPath {
        var path = ScopedPath(components: [], directories: [root])
        var pending = Array(components.reversed())
        var symlinks = 0
        while let name = pending.popLast() {
            if name.isEmpty || name == "." { continue }
            if name == ".." {
                path.removeLast()
                continue
            }
            guard let directory = path.directory, let status = try directory.status(of: name) else {
                path.components.append(name)
                continue
            }
            switch status.kind {
            case .directory:
                path.directories.append(try directory.openDirectory(name))
                path.components.append(name)
            case .symlink:
                symlinks += 1
                guard symlinks <= maxSymlinks else {
                    throw SystemCallError("resolve", "/" + components.joined(separator: "/"), code: ELOOP)
                }
                let target = try directory.readLink(name)
                if target.hasPrefix("/") {
                    path = ScopedPath(components: [], directories: [root])
                }
                pending += target.split(separator: "/").reversed().map(String.init)
            default:
                path.components.append(name)
            }
        }
        return path
    }

    /// The path with `name` added unresolved: it may be a symlink.
    func appending(_ name: String) -> ScopedPath {
        ScopedPath(components: components + [name], directories: directories)
    }

    /// The path as the container sees it, `/` for the root.
    var containerPath: String { "/" + components.joined(separator: "/") }

    /// The last component, nil for the root.
    var name: String? { components.last }

    /// The open directory at the whole path, when it exists as a directory.
    var directory: DirectoryHandle? {
        directories.count == components.count + 1 ? directories.last : nil
    }

    /// The open directory holding the last component, when it exists; nil for the root.
    var parent: DirectoryHandle? {
        guard !components.isEmpty, directories.count >= components.count else { return nil }
        return directories[components.count - 1]
    }

    /// The status of the entry at the path itself (not followed), or nil when it does not exist.
    func status() throws -> FileStatus? {
        if components.isEmpty { return try directories[0].status() }
        guard let parent, let name else { return nil }
        return try parent.status(of: name)
    }

    /// Opens the directory at the path, creating the missing directories on the way (mode `0755`,
    /// owned by root, or by `owner`) as Docker does before extracting an entry.
    func creatingDirectories(owner: FileOwner? = nil) throws -> DirectoryHandle {
        var directory = directories[directories.count - 1]
        for name in components.dropFirst(directories.count - 1) {
            if try directory.status(of: name) == nil {
                try directory.makeDirectory(name, permissions: 0o755)
                try directory.setOwner(of: name, uid: owner?.uid ?? 0, gid: owner?.gid ?? 0)
            }
            directory = try directory.openDirectory(name)
        }
        return directory
    }

    private mutating func removeLast() {
        guard !components.isEmpty else { return }
        components.removeLast()
        if directories.count > components.count + 1 { directories.removeLast() }
    }
}
