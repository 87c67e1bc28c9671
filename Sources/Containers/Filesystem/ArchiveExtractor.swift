import Archive
import Glibc
import Messages

/// Unpacks tar entries below a directory of a container root as Docker's `archive.Unpack` does in
/// its chroot, with the root standing in for the chroot: see `ContainerRoot.extract`. Directory
/// mtimes are set last, so that creating their entries does not change them again.
struct ArchiveExtractor {
    let root: DirectoryHandle
    /// The extraction directory's components below the root, symlinks resolved.
    let destination: [String]
    let options: ExtractOptions
    /// Each extracted directory's resolved components below the root, and its mtime.
    private var directoryTimes: [(components: [String], mtime: Int64)] = []

    init(root: DirectoryHandle, destination: [String], options: ExtractOptions) {
        self.root = root
        self.destination = destination
        self.options = options
    }

    mutating func extract(from reader: TarReader) throws {
        while let entry = try reader.next() {
            try extract(entry, from: reader)
        }
        for (components, mtime) in directoryTimes {
            guard let name = components.last else { continue }
            do {
                try root.openDirectory(components: components.dropLast()).setTimes(of: name, seconds: mtime)
            } catch let error as SystemCallError where error.isNotFound {
                // A later entry replaced the directory.
            }
        }
    }

    private var destinationPath: String { "/" + destination.joined(separator: "/") }

    private mutating func extract(_ entry: TarEntry, from reader: TarReader) throws {
        guard let relative = Self.relativeComponents(entry.path) else {
            throw EngineError.invalidArgument("\(quoted(entry.path)) is outside of \(quoted(destinationPath))")
        }
        guard let name = relative.last else {
            // The extraction directory itself: it stays as it is.
            guard entry.kind == .directory else { throw overwriteError(destinationPath, directory: true) }
            return
        }
        let location = try ScopedPath.resolve(destination + relative.dropLast(), in: root)
        let parent = try location.creatingDirectories()
        let path = location.appending(name).containerPath
        if let existing = try parent.status(of: name) {
            let isDirectory = existing.kind == .directory
            if options.noOverwriteDirNonDir, isDirectory != (entry.kind == .directory) {
                throw overwriteError(path, directory: isDirectory)
            }
            if !(isDirectory && entry.kind == .directory) {
                try parent.removeItem(name)
            }
        }
        try create(entry, named: name, in: parent, at: path, from: reader, relative: relative)
        let owner = options.owner
            ?? FileOwner(uid: UInt32(truncatingIfNeeded: entry.uid), gid: UInt32(truncatingIfNeeded: entry.gid))
        try parent.setOwner(of: name, uid: owner.uid, gid: owner.gid)
        for (key, value) in entry.xattrs.sorted(by: { $0.key < $1.key }) {
            do {
                try parent.setAttribute(key, value, of: name)
            } catch let error as SystemCallError where error.code == ENOTSUP || error.code == EPERM {
                continue
            }
        }
        if entry.kind != .symlink {
            do {
                try parent.setPermissions(of: name, entry.mode & 0o7777)
            } catch let error as SystemCallError where error.code == EOPNOTSUPP && entry.kind == .hardlink {
                // A hard link to a symlink: a symlink has no mode of its own.
            }
        }
        if entry.kind == .directory {
            directoryTimes.append((location.components + [name], entry.mtime))
        } else {
            try parent.setTimes(of: name, seconds: entry.mtime)
        }
    }

    private func create(
        _ entry: TarEntry, named name: String, in parent: DirectoryHandle, at path: String, from reader: TarReader,
        relative: [String]
    ) throws {
        switch entry.kind {
        case .directory:
            if try parent.status(of: name) == nil {
                try parent.makeDirectory(name, permissions: 0o700)
            }
        case .file:
            let file = try parent.createFile(name, permissions: 0o600)
            try reader.copyData(to: file)
        case .symlink:
            let staysInside = options.keepsEscapingSymlinks || entry.linkName.hasPrefix("/")
                || Self.relativeComponents(entry.linkName, from: relative.dropLast()) != nil
            guard staysInside else {
                throw EngineError.invalidArgument("invalid symlink \(quoted(path)) -> \(quoted(entry.linkName))")
            }
            try parent.makeSymlink(name, target: entry.linkName)
        case .hardlink:
            guard let target = Self.relativeComponents(entry.linkName), let targetName = target.last else {
                throw EngineError.invalidArgument("invalid hardlink \(quoted(path)) -> \(quoted(entry.linkName))")
            }
            let targetLocation = try ScopedPath.resolve(destination + target.dropLast(), in: root)
            guard let targetDirectory = targetLocation.directory, try targetDirectory.status(of: targetName) != nil else {
                throw EngineError.invalidArgument("invalid hardlink \(quoted(path)) -> \(quoted(entry.linkName)): no such file")
            }
            try parent.makeHardlink(name, to: targetName, in: targetDirectory)
        case .characterDevice, .blockDevice, .fifo:
            let type: mode_t = entry.kind == .fifo ? S_IFIFO : entry.kind == .blockDevice ? S_IFBLK : S_IFCHR
            let device = FileStatus.deviceNumber(major: entry.devMajor, minor: entry.devMinor)
            try parent.makeNode(name, type: type, permissions: 0o600, device: device)
        case .other(let typeflag):
            throw EngineError.invalidArgument("unhandled tar header type \(typeflag) for \(quoted(entry.path))")
        }
    }

    /// Docker's messages when `noOverwriteDirNonDir` forbids replacing what is at `path`.
    private func overwriteError(_ path: String, directory: Bool) -> EngineError {
        directory
            ? .conflict("cannot overwrite directory \(quoted(path)) with non-directory \(quoted(destinationPath))")
            : .conflict("cannot overwrite non-directory \(quoted(path)) with directory \(quoted(destinationPath))")
    }

    private func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// A member name (or link target) applied to `base` as Go's `filepath.Join(dest, name)` cleans
    /// it: nil when a `..` climbs above the extraction directory. A leading `/` counts from the
    /// extraction directory, where `..` stops, as in Docker.
    static func relativeComponents(_ name: String, from base: ArraySlice<String> = []) -> [String]? {
        guard !name.utf8.contains(0) else { return nil }
        var components = Array(base)
        let isAbsolute = name.hasPrefix("/")
        if isAbsolute { components = [] }
        for component in name.split(separator: "/") where component != "." {
            if component == ".." {
                guard components.popLast() != nil || isAbsolute else { return nil }
            } else {
                components.append(String(component))
            }
        }
        return components
    }
}
