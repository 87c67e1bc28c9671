import Archive
import Dockerfile
import Foundation
import Messages

/// A build's context: the client's tar (decompressed first when it came compressed), read once into an
/// index of its entries. Nothing is unpacked: a `COPY` reads the files it needs where they lie in the
/// tar, so a build the cache serves writes no file of its context, and a large context is not written
/// twice.
///
/// Names are cleaned and relative (`dir/file`); directories the tar implies but does not list exist
/// with mode `0755`; a hard link is its target's data under another name. Names that climb out of
/// the context are refused. Devices, FIFOs and sparse files are left out.
struct BuildContext: Sendable {
    /// One file, directory or symlink of the context.
    struct Entry: Sendable {
        var kind: TarEntry.Kind
        var mode: UInt32
        var size: Int64
        var mtime: Int64
        var linkName: String
        /// Where the data begins in ``tarball``.
        var dataOffset: Int64
    }

    /// The plain tar the entries are read from.
    let tarball: String
    let dockerfileText: String
    private(set) var entries: [String: Entry]
    /// Each directory's entries' names, sorted ("" is the root).
    private(set) var children: [String: [String]]

    /// Indexes the tarball at `tarball` (decompressed into `directory` when it is compressed) and reads
    /// the Dockerfile at `dockerfilePath`; drops the Dockerfile and `.dockerignore` when
    /// `.dockerignore` lists them, as dockerd does (filtering the rest is the client's).
    static func open(_ tarball: String, in directory: String, dockerfilePath: String) throws -> BuildContext {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var plain = tarball
        if let compression = Compression.detect(fileAt: tarball) {
            plain = directory + "/context.tar"
            try checkRoom(for: tarball, in: directory)
            try compression.decompress(fileAt: tarball, to: plain)
        }
        var context: BuildContext
        do {
            context = try index(plain)
        } catch let error as ArchiveError {
            throw EngineError.invalidArgument("the build context is not a valid tar archive: \(error.message)")
        }
        let name = CleanPath.clean("/" + (dockerfilePath.isEmpty ? "Dockerfile" : dockerfilePath)).dropFirst()
        guard !CleanPath.clean(dockerfilePath).hasPrefix("..") else {
            throw EngineError.invalidArgument("forbidden path outside the build context: \(dockerfilePath) ()")
        }
        guard let resolved = context.resolve(String(name)), let data = try context.contents(of: resolved, maxBytes: 16 << 20) else {
            throw EngineError.invalidArgument("Cannot locate specified Dockerfile: \(dockerfilePath.isEmpty ? "Dockerfile" : dockerfilePath)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw EngineError.invalidArgument("the Dockerfile \(dockerfilePath) is not UTF-8 text")
        }
        let ignoreText = try context.resolve(".dockerignore").flatMap { try context.contents(of: $0, maxBytes: 16 << 20) }
        let ignore: IgnorePatterns
        do { ignore = try IgnorePatterns(parsing: ignoreText.map { String(decoding: $0, as: UTF8.self) } ?? "") } catch {
            throw EngineError.invalidArgument(error.message)
        }
        context = BuildContext(tarball: plain, dockerfileText: text, entries: context.entries, children: context.children)
        for path in [String(name), ".dockerignore"] where ignore.excludes(path) { context.remove(path) }
        return context
    }

    /// One pass over the tar: every entry's kind, mode, size and where its data lies.
    private static func index(_ tarball: String) throws -> BuildContext {
        let reader = try TarReader(fileAt: tarball)
        defer { reader.close() }
        var context = BuildContext(tarball: tarball, dockerfileText: "", entries: [:], children: ["": []])
        while let entry = try reader.next() {
            let path = try TarPath.safeRelative(entry.path)
            guard path != "." else { continue }
            switch entry.kind {
            case .file, .other, .directory, .symlink:
                guard let offset = reader.dataOffset else { continue }
                context.add(path, Entry(kind: entry.kind, mode: entry.mode & 0o7777, size: entry.size, mtime: entry.mtime, linkName: entry.linkName, dataOffset: offset))
            case .hardlink:
                guard let target = context.entries[try TarPath.safeRelative(entry.linkName)], target.kind != .directory else {
                    throw ArchiveError(.corrupt, "hard link \(entry.path) to \(entry.linkName), which comes before it in no entry")
                }
                context.add(path, target)
            case .characterDevice, .blockDevice, .fifo:
                continue
            }
        }
        for key in context.children.keys { context.children[key]?.sort() }
        return context
    }

    /// Adds (or replaces) an entry and the directories above it.
    private mutating func add(_ path: String, _ entry: Entry) {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !parent.isEmpty, entries[parent]?.kind != .directory {
            add(parent, Entry(kind: .directory, mode: 0o755, size: 0, mtime: entry.mtime, linkName: "", dataOffset: 0))
        }
        if entries.updateValue(entry, forKey: path) == nil { children[parent, default: []].append(Self.baseName(path)) }
        if entry.kind == .directory, children[path] == nil { children[path] = [] }
    }

    private mutating func remove(_ path: String) {
        guard entries.removeValue(forKey: path) != nil else { return }
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        children[parent]?.removeAll { $0 == Self.baseName(path) }
    }

    /// The last name of a path.
    static func baseName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// The entry at a path; "" is the context's root, a directory the tar need not list.
    func entry(_ path: String) -> Entry? {
        path.isEmpty ? Entry(kind: .directory, mode: 0o755, size: 0, mtime: 0, linkName: "", dataOffset: 0) : entries[path]
    }

    /// Every path of the context, sorted (for wildcard sources).
    var paths: [String] { entries.keys.sorted() }

    /// Follows the symlinks of a path as dockerd does, inside the context: an absolute target starts
    /// at the context's root and `..` stops there. Nil when the path leads nowhere.
    func resolve(_ relative: String) -> String? {
        var pending = relative.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name.isEmpty || name == "." { continue }
            if name == ".." {
                _ = resolved.popLast()
                continue
            }
            guard let entry = entries[(resolved + [name]).joined(separator: "/")] else { return nil }
            guard entry.kind == .symlink else {
                resolved.append(name)
                continue
            }
            hops += 1
            guard hops <= 255 else { return nil }
            if entry.linkName.hasPrefix("/") { resolved = [] }
            pending = entry.linkName.split(separator: "/").map(String.init) + pending
        }
        return resolved.joined(separator: "/")
    }

    /// The whole data of a file, or nil when `path` is not one or holds more than `maxBytes`.
    func contents(of path: String, maxBytes: Int) throws -> [UInt8]? {
        guard let entry = entries[path], entry.kind != .directory, entry.kind != .symlink, entry.size <= Int64(maxBytes) else { return nil }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: tarball))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(entry.dataOffset))
        return Array(try handle.read(upToCount: Int(entry.size)) ?? Data())
    }

    /// Whether a file of the context is an archive `ADD` unpacks.
    func isArchive(_ entry: Entry) -> Bool {
        guard entry.kind != .directory, entry.kind != .symlink,
              let handle = FileHandle(forReadingAtPath: tarball), (try? handle.seek(toOffset: UInt64(entry.dataOffset))) != nil
        else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: Int(min(entry.size, Int64(ArchiveSniffer.headSize))))) ?? nil
        return head.map { ArchiveSniffer.isArchive(Array($0)) } ?? false
    }

    /// Writes a file of the context to `path` (an archive that `ADD` unpacks).
    func extract(_ entry: Entry, to path: String) throws {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: tarball))
        defer { try? input.close() }
        try input.seek(toOffset: UInt64(entry.dataOffset))
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: path)
        else { throw EngineError.internal("cannot create \(path)") }
        defer { try? output.close() }
        var left = entry.size
        while left > 0, let chunk = try input.read(upToCount: Int(min(left, 1 << 17))), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            left -= Int64(chunk.count)
        }
    }

    /// A context that the disk cannot hold decompressed is refused before anything is written (507).
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
}
