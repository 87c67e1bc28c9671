import Messages

/// `docker diff`: what a container changed in its root filesystem, from the directories its
/// snapshot's mounts name. Both calls block on file I/O and throw `EngineError`.
public enum ContainerChanges {
    /// The changes of an overlayfs container, read from its upper directory and compared with the
    /// lower layers (`lowerdir=` order, topmost first): a whiteout is a deletion, an opaque
    /// directory deletes what the layers below held there, and a directory with changes inside is
    /// modified. The same answer as comparing the mounted trees, without walking the lower layers.
    public static func overlay(upperDirectory: String, lowerDirectories: [String]) throws -> [FilesystemChange] {
        try EngineError.mappingFilesystemErrors {
            let upper = OverlayUpperDirectory(handle: try DirectoryHandle(openingPath: upperDirectory))
            let lower = try OverlayLowerDirectory(roots: lowerDirectories)
            var scanner = ChangeScanner()
            try scanner.scan(upper, against: lower, at: "/")
            return scanner.sortedChanges
        }
    }

    /// The changes between two directory trees (`native` snapshotter): `directory`, the container's,
    /// against `base`, the image's committed tree; with no base (an image without layers) everything is added.
    public static func between(_ directory: String, base: String?) throws -> [FilesystemChange] {
        try EngineError.mappingFilesystemErrors {
            let new = PlainDirectory(handle: try DirectoryHandle(openingPath: directory))
            let old = try base.map { PlainDirectory(handle: try DirectoryHandle(openingPath: $0)) }
            var scanner = ChangeScanner()
            try scanner.scan(new, against: old, at: "/")
            return scanner.sortedChanges
        }
    }
}
