import Archive
import Foundation
import Messages

extension ContainerRoot {
    /// A build's `COPY`/`ADD` (Docker's destination rule): the archive's entries are named relative to
    /// `destination`. When `destination` ends in `/` or is a directory already, they land inside it
    /// (made, with its parents, when missing); otherwise the archive holds one file, which becomes
    /// `destination` itself. Symlinks on the way are followed within the root, as `extract` does; the
    /// directories made on the way belong to `options.owner` (`--chown`), or root.
    public func copy(archiveAt archivePath: String, to destination: String, options: ExtractOptions) throws {
        try EngineError.mappingFilesystemErrors(archiveIsInput: true) {
            let root = try openRoot()
            let target = try ContainerPath(destination)
            let resolved = try ScopedPath.resolve(target.components, in: root)
            let isDirectory = try resolved.status()?.kind == .directory
            if destination.hasSuffix("/") || isDirectory {
                _ = try resolved.creatingDirectories(owner: options.owner)
                try extract(archiveAt: archivePath, into: destination, options: options)
                return
            }
            guard let name = target.components.last else { return try extract(archiveAt: archivePath, into: "/", options: options) }
            let parent = "/" + target.components.dropLast().joined(separator: "/")
            _ = try ScopedPath.resolve(Array(target.components.dropLast()), in: root).creatingDirectories(owner: options.owner)
            let renamed = archivePath + ".renamed"
            defer { try? FileManager.default.removeItem(atPath: renamed) }
            try Self.renameSingleEntry(of: archivePath, to: name, into: renamed)
            try extract(archiveAt: renamed, into: parent, options: options)
        }
    }

    /// Writes a copy of a one-file archive whose entry is called `name`.
    private static func renameSingleEntry(of archivePath: String, to name: String, into output: String) throws {
        let reader = try TarReader(fileAt: archivePath)
        defer { reader.close() }
        guard var entry = try reader.next(), entry.kind != .directory else {
            throw EngineError.invalidArgument("When using COPY with more than one source file, the destination must be a directory and end with a /")
        }
        let data = output + ".data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try reader.copyData(toFileAt: data)
        guard try reader.next() == nil else {
            throw EngineError.invalidArgument("When using COPY with more than one source file, the destination must be a directory and end with a /")
        }
        entry.path = name
        let writer = try TarWriter(fileAt: output)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: data))
        defer { try? handle.close() }
        try writer.append(entry, from: handle)
        try writer.finish()
    }
}
