import Messages

/// A container's mounted root filesystem, as the host sees it, and the filesystem operations of the
/// API on it: `docker cp` both ways (`stat`, `archive`, `extract`) and `docker export`.
///
/// Every path a client gives is taken inside the root, as Docker's `FollowSymlinkInScope` does:
/// symlinks are followed with absolute targets counting from the root, and `..` never climbs above
/// it. Files are reached through open directory descriptors without following symlinks, so a
/// running container that swaps a directory for a symlink makes an operation fail; it never leads
/// it out of the root.
///
/// The calls block on file I/O: run them off the cooperative pool. They throw `EngineError`. The
/// caller decides whether an operation is allowed (a read-only rootfs, a dead container).
public struct ContainerRoot: Sendable {
    /// The host path where the root filesystem is mounted.
    public let path: String
    /// The container as the client named it, for Docker's messages (`… in container NAME`).
    public let containerName: String

    public init(path: String, containerName: String) {
        self.path = path
        self.containerName = containerName
    }

    /// The host path of `containerPath` with every symlink followed within the root; with
    /// `followFinalSymlink` false, a symlink at the end (the link itself, for `docker cp` without
    /// `-L`) stays unresolved unless the path ends in `/` or `/.`. Missing components are kept as
    /// named. The answer is only as good as the moment it was computed: prefer the operations here,
    /// which do not go through path strings.
    public func resolve(_ containerPath: String, followFinalSymlink: Bool = true) throws -> String {
        try EngineError.mappingFilesystemErrors {
            let resolved = try locate(ContainerPath(containerPath), followFinalSymlink: followFinalSymlink, in: openRoot())
            return path + resolved.containerPath
        }
    }

    func openRoot() throws -> DirectoryHandle {
        try DirectoryHandle(openingPath: path)
    }

    /// Where `target` is: its directory resolved, and its last component too when it is followed.
    func locate(_ target: ContainerPath, followFinalSymlink: Bool, in root: DirectoryHandle) throws -> ScopedPath {
        guard !followFinalSymlink, !target.assertsDirectory, let last = target.components.last else {
            return try ScopedPath.resolve(target.components, in: root)
        }
        return try ScopedPath.resolve(target.components.dropLast(), in: root).appending(last)
    }
}
