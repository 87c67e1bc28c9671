import Archive
import Dockerfile
import Foundation
import Messages

/// A build's context: the client's tarball (plain or compressed) unpacked into a directory of its own,
/// and the Dockerfile read from it.
///
/// Entries keep their modes and mtimes; owners are not kept (`COPY` gives files to root, or to
/// `--chown`). Names that climb out of the context are refused, and nothing is written through a
/// symlink the context itself made. Devices and FIFOs are left out.
struct BuildContext {
    /// The unpacked context.
    let root: String
    let dockerfileText: String
    let ignore: IgnorePatterns

    /// Unpacks the tarball at `tarball` into `directory` (which must not exist) and reads the Dockerfile at
    /// `dockerfilePath` (relative to the context).
    static func unpack(_ tarball: String, into directory: String, dockerfilePath: String) throws -> BuildContext {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var plain = tarball
        if let compression = Compression.detect(fileAt: tarball) {
            plain = directory + "/context.tar"
            try compression.decompress(fileAt: tarball, to: plain)
        }
        try checkRoom(for: plain, in: directory)
        let root = directory + "/context"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        do {
            try extract(plain, into: root)
        } catch let error as ArchiveError {
            throw EngineError.invalidArgument("the build context is not a valid tar archive: \(error.message)")
        }
        if plain != tarball { try? FileManager.default.removeItem(atPath: plain) }

        let ignoreText = (try? String(contentsOfFile: root + "/.dockerignore", encoding: .utf8)) ?? ""
        let ignore: IgnorePatterns
        do { ignore = try IgnorePatterns(parsing: ignoreText) } catch { throw EngineError.invalidArgument(error.message) }
        let dockerfileName = CleanPath.clean(dockerfilePath.isEmpty ? "Dockerfile" : dockerfilePath)
        guard let relative = try? TarPath.safeRelative(dockerfileName.hasPrefix("/") ? String(dockerfileName.dropFirst()) : dockerfileName),
              let data = FileManager.default.contents(atPath: root + "/" + relative)
        else { throw EngineError.invalidArgument("Cannot locate specified Dockerfile: \(dockerfilePath.isEmpty ? "Dockerfile" : dockerfilePath)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EngineError.invalidArgument("the Dockerfile \(dockerfilePath) is not UTF-8 text")
        }
        let context = BuildContext(root: root, dockerfileText: text, ignore: ignore)
        try context.removeExcluded(dockerfile: relative)
        return context
    }

    /// A context that the disk cannot hold unpacked is refused before anything is written (507).
    private static func checkRoom(for tarball: String, in directory: String) throws {
        var disk = statvfs()
        var file = stat()
        guard statvfs(directory, &disk) == 0, stat(tarball, &file) == 0 else { return }
        let free = Int64(clamping: UInt64(disk.f_bavail).multipliedReportingOverflow(by: UInt64(disk.f_frsize)).partialValue)
        guard Int64(file.st_size) <= free else {
            throw EngineError(
                .insufficientStorage, "no space left on device: the build context (\(file.st_size) bytes) does not fit in the \(free) bytes free")
        }
    }

    private static func extract(_ tarball: String, into root: String) throws {
        let reader = try TarReader(fileAt: tarball)
        defer { reader.close() }
        var symlinks = Set<String>()
        var directories: [(path: String, mode: UInt32, mtime: Int64)] = []
        let files = FileManager.default
        while let entry = try reader.next() {
            let relative = try TarPath.safeRelative(entry.path)
            guard relative != "." else { continue }
            let parts = relative.split(separator: "/")
            for depth in 1..<max(parts.count, 1) where symlinks.contains(parts.prefix(depth).joined(separator: "/")) {
                throw ArchiveError(.unsafePath, "\(entry.path) is below a symlink of the context")
            }
            let path = root + "/" + relative
            if parts.count > 1 {
                try files.createDirectory(atPath: root + "/" + parts.dropLast().joined(separator: "/"), withIntermediateDirectories: true)
            }
            var status = stat()
            if lstat(path, &status) == 0, !(entry.kind == .directory && (status.st_mode & S_IFMT) == S_IFDIR) {
                try files.removeItem(atPath: path)
                symlinks.remove(relative)
            }
            switch entry.kind {
            case .directory:
                try files.createDirectory(atPath: path, withIntermediateDirectories: true)
                directories.append((path, entry.mode & 0o7777, entry.mtime))
            case .file, .other:
                try reader.copyData(toFileAt: path, permissions: entry.mode & 0o7777)
                setTimes(path, entry.mtime)
            case .symlink:
                try files.createSymbolicLink(atPath: path, withDestinationPath: entry.linkName)
                symlinks.insert(relative)
            case .hardlink:
                let target = try TarPath.safeRelative(entry.linkName)
                guard !symlinks.contains(target) else { throw ArchiveError(.unsafePath, "hard link \(entry.path) to a symlink") }
                try files.linkItem(atPath: root + "/" + target, toPath: path)
            case .characterDevice, .blockDevice, .fifo:
                continue
            }
        }
        for directory in directories.reversed() {
            chmod(directory.path, mode_t(directory.mode))
            setTimes(directory.path, directory.mtime)
        }
    }

    private static func setTimes(_ path: String, _ seconds: Int64) {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Removes the Dockerfile and `.dockerignore` when `.dockerignore` excludes them, as dockerd does:
    /// the rest of the filtering is the client's (the docker CLI and docker-py send only what it keeps).
    private func removeExcluded(dockerfile: String) throws {
        for path in [dockerfile, ".dockerignore"] where ignore.excludes(path) {
            try? FileManager.default.removeItem(atPath: root + "/" + path)
        }
    }
}
