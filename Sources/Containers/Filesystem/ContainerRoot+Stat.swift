import Messages

extension ContainerRoot {
    /// `HEAD /containers/{id}/archive?path=P`: what is at `path`, a symlink not followed (its
    /// `linkTarget` says where it leads). Throws Docker's 404 when nothing is there.
    public func stat(_ path: String) throws -> ContainerPathStat {
        try EngineError.mappingFilesystemErrors {
            let root = try openRoot()
            let target = try ContainerPath(path)
            return try stat(target, at: locate(target, followFinalSymlink: false, in: root), in: root).stat
        }
    }

    /// The stat of a located path, with its status; throws Docker's 404 when it does not exist.
    func stat(
        _ target: ContainerPath, at location: ScopedPath, in root: DirectoryHandle
    ) throws -> (stat: ContainerPathStat, status: FileStatus) {
        guard let status = try location.status() else {
            throw EngineError.fileNotFound(target.raw, inContainer: containerName)
        }
        if target.assertsDirectory, status.kind != .directory {
            throw EngineError.invalidArgument("\(target.raw) is not a directory in container \(containerName)")
        }
        var linkTarget = ""
        if status.kind == .symlink {
            linkTarget = try ScopedPath.resolve(location.components, in: root).containerPath
        }
        return (ContainerPathStat(name: target.baseName, status: status, linkTarget: linkTarget), status)
    }
}
