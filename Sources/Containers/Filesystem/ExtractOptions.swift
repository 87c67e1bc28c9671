/// How `ContainerRoot.extract(archiveAt:into:options:)` treats what is already there and who owns
/// what it creates (`PUT /containers/{id}/archive`).
public struct ExtractOptions: Sendable, Hashable {
    /// `noOverwriteDirNonDir`: refuse to replace a directory with a non-directory or the reverse,
    /// instead of removing what is there.
    public var noOverwriteDirNonDir: Bool
    /// The owner of every extracted entry; nil keeps each entry's uid and gid from the archive, as
    /// Docker does without `copyUIDGID` (and with it, for a container that has no `User`). With
    /// `copyUIDGID` and a `User`, pass that user's uid and gid.
    public var owner: FileOwner?
    /// Keep symlinks whose relative targets climb above the extraction directory (a build's `COPY`
    /// writes links as the context has them; `docker cp` refuses them).
    public var keepsEscapingSymlinks: Bool

    public init(noOverwriteDirNonDir: Bool = false, owner: FileOwner? = nil, keepsEscapingSymlinks: Bool = false) {
        self.noOverwriteDirNonDir = noOverwriteDirNonDir
        self.owner = owner
        self.keepsEscapingSymlinks = keepsEscapingSymlinks
    }
}

/// A numeric owner: user and group ids.
public struct FileOwner: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}
