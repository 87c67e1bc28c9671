import Archive
import Messages

extension ContainerRoot {
    /// `PUT /containers/{id}/archive?path=P` (`docker cp` into the container): extracts the tar
    /// archive at `archivePath` into the directory `path` (a symlink there is followed, within the
    /// root). Throws Docker's 404 when `path` does not exist and a 400 when it is not a directory.
    ///
    /// Every entry stays inside the root: a name that climbs out of `path` (`../x`) is refused, as
    /// are a symlink whose relative target climbs out of `path` and a hard link to a name outside
    /// it; symlinks already in the container or made by earlier entries are followed within the
    /// root, as in Docker's chroot. Entries replace what is there (a directory merges with a
    /// directory), unless `options.noOverwriteDirNonDir` refuses with a 409. Owners follow
    /// `options.owner`; modes, xattrs and mtimes come from the archive; missing parent
    /// directories are made `0755` and owned by root.
    public func extract(archiveAt archivePath: String, into path: String, options: ExtractOptions = ExtractOptions()) throws {
        try EngineError.mappingFilesystemErrors(archiveIsInput: true) {
            let root = try openRoot()
            let target = try ContainerPath(path)
            let destination = try ScopedPath.resolve(target.components, in: root)
            guard let status = try destination.status() else {
                throw EngineError.fileNotFound(path, inContainer: containerName)
            }
            guard status.kind == .directory else {
                throw EngineError.invalidArgument("extraction point is not a directory")
            }
            let reader = try TarReader(fileAt: archivePath)
            defer { reader.close() }
            var extractor = ArchiveExtractor(root: root, destination: destination.components, options: options)
            try extractor.extract(from: reader)
        }
    }
}
