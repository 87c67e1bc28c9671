import Archive
import Foundation
import Messages

/// The layer tar of a container's changes, for `docker commit`: image-layer format, with deletions
/// as `.wh.NAME` files and opaque directories as `.wh..wh..opq` files. Entry names are relative
/// (`etc/`, `etc/hosts`); owners, modes, mtimes, symlinks, hard links and devices are kept.
public enum LayerArchive {
    /// The layer of an overlayfs container: its whole upper directory, whiteouts and opaque
    /// directories converted, as Docker's overlay2 driver writes a diff.
    public static func writeOverlay(upperDirectory: String, to output: FileHandle) throws {
        try EngineError.mappingFilesystemErrors {
            let writer = TarWriter(handle: output)
            let archiver = TreeArchiver(writer: writer, convertsOverlayWhiteouts: true, skippedStubs: runtimeMountPoints)
            try archiver.addContents(of: DirectoryHandle(openingPath: upperDirectory), under: nil)
            try writer.finish()
        }
    }

    /// What the runtime makes in a container's layer when the image lacks it, to mount over: empty,
    /// never written through (the mounts take the writes), and not part of the container's changes
    /// (dockerd keeps them in a layer of their own below the container's).
    static let runtimeMountPoints: Set = ["dev", "proc", "sys", "etc/hostname", "etc/hosts", "etc/resolv.conf", ".dockerenv"]

    /// The layer of `directory` compared with `base` (`native` snapshotter; see
    /// `ContainerChanges.between`): every added or modified entry, and a whiteout for each deletion,
    /// in path order, as Docker's `ExportChanges` writes them.
    public static func writeDifference(of directory: String, base: String?, to output: FileHandle) throws {
        let changes = try ContainerChanges.between(directory, base: base)
        try EngineError.mappingFilesystemErrors {
            let root = try DirectoryHandle(openingPath: directory)
            let writer = TarWriter(handle: output)
            let archiver = TreeArchiver(writer: writer)
            for change in changes {
                var components = change.path.split(separator: "/").map(String.init)
                guard let name = components.popLast() else { continue }
                let prefix = components.isEmpty ? nil : components.joined(separator: "/")
                if change.kind == .deleted {
                    let whiteout = TreeArchiver.join(prefix, TreeArchiver.whiteoutPrefix + name)
                    try writer.append(TarEntry(path: whiteout, kind: .file, mode: 0))
                    continue
                }
                do {
                    let parent = try root.openDirectory(components: components)
                    guard let status = try parent.status(of: name) else { continue }
                    try archiver.addEntry(name, in: parent, status: status, as: TreeArchiver.join(prefix, name))
                } catch let error as SystemCallError where error.isNotFound {
                    continue
                }
            }
            try writer.finish()
        }
    }
}
