import Archive
import Foundation
import Messages

extension ContainerRoot {
    /// `GET /containers/{id}/archive?path=P` (`docker cp` out of the container): writes a tar of
    /// `path` to `output` and returns its stat for the header. Entry names start with the path's
    /// base name (`dir/`, `dir/file`); a path ending in `/.` gives the directory's contents
    /// (`./`, `./file`), and the root `/` gives `/`, `/etc/`, … as Docker does. A symlink at the end
    /// of `path` is archived as the link itself. Throws Docker's 404 when nothing is there.
    @discardableResult
    public func archive(_ path: String, to output: FileHandle) throws -> ContainerPathStat {
        try EngineError.mappingFilesystemErrors {
            let root = try openRoot()
            let target = try ContainerPath(path)
            let location = try locate(target, followFinalSymlink: false, in: root)
            let (stat, status) = try stat(target, at: location, in: root)
            let writer = TarWriter(handle: output)
            let archiver = TreeArchiver(writer: writer)
            if let parent = location.parent, let name = location.name {
                try archiver.addTree(name, in: parent, status: status, as: target.baseName)
            } else {
                try archiver.addTree(root, status: status, as: target.baseName)
            }
            try writer.finish()
            return stat
        }
    }

    /// `GET /containers/{id}/export` (`docker export`): writes a tar of the whole root to `output`,
    /// entries named by their path without a leading `/` and the root itself left out, as Docker
    /// does. Owners, modes, symlinks, hard links and device files are kept; sockets are left out.
    public func export(to output: FileHandle) throws {
        try EngineError.mappingFilesystemErrors {
            let writer = TarWriter(handle: output)
            try TreeArchiver(writer: writer).addContents(of: openRoot(), under: nil)
            try writer.finish()
        }
    }
}
