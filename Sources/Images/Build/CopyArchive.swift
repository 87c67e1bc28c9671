import Archive
import Crypto
import Digests
import Foundation

/// The tar a build's `COPY`/`ADD` hands to the container: entries named relative to the destination,
/// owned by root (the containers child applies `--chown`), modes and mtimes kept. Alongside it, the
/// checksum that identifies the copied content for the build cache: names, kinds, modes, link
/// targets and bytes, not mtimes or owners of the source.
struct CopyArchive {
    /// Where the entries go; nil: only the checksum is made (a step that may come from the cache).
    private let writer: TarWriter?
    private var checksum = SHA256()
    /// How many entries went in, and whether the first was a lone file (Docker's `file:` cache text).
    private(set) var count = 0

    init(path: String?) throws {
        writer = try path.map { try TarWriter(fileAt: $0, permissions: 0o600) }
    }

    /// Adds the file, symlink or directory at `source` on disk as `name`; a directory's contents are
    /// added below it (`name` empty: at the top, as `COPY dir/ dest/` copies what the directory holds).
    mutating func addFromDisk(_ source: String, as name: String) throws {
        var status = stat()
        guard lstat(source, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
        let mode = UInt32(status.st_mode) & 0o7777
        let mtime = Int64(status.st_mtim.tv_sec)
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            if !name.isEmpty { try append(TarEntry(path: name + "/", kind: .directory, mode: mode, mtime: mtime)) }
            for child in try FileManager.default.contentsOfDirectory(atPath: source).sorted() {
                try addFromDisk(source + "/" + child, as: name.isEmpty ? child : name + "/" + child)
            }
        case S_IFLNK:
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: source)
            try append(TarEntry(path: name, kind: .symlink, mode: 0o777, mtime: mtime, linkName: target))
        case S_IFREG:
            let size = Int64(status.st_size)
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: source))
            defer { try? handle.close() }
            try hashContent(of: handle)
            try handle.seek(toOffset: 0)
            try append(TarEntry(path: name, kind: .file, mode: mode, size: size, mtime: mtime), data: handle)
        default:
            return
        }
    }

    /// Adds the context's file, symlink or directory at `path` (resolved) as `name`; a directory's
    /// contents are added below it (`name` empty: at the top). Data is read where it lies in the
    /// context's tar, through `input`.
    mutating func addFromContext(_ context: BuildContext, _ path: String, as name: String, input: FileHandle) throws {
        guard let entry = context.entry(path) else { throw CocoaError(.fileNoSuchFile) }
        switch entry.kind {
        case .directory:
            if !name.isEmpty { try append(TarEntry(path: name + "/", kind: .directory, mode: entry.mode, mtime: entry.mtime)) }
            for child in context.children[path] ?? [] {
                try addFromContext(context, path.isEmpty ? child : path + "/" + child, as: name.isEmpty ? child : name + "/" + child, input: input)
            }
        case .symlink:
            try append(TarEntry(path: name, kind: .symlink, mode: 0o777, mtime: entry.mtime, linkName: entry.linkName))
        default:
            try input.seek(toOffset: UInt64(entry.dataOffset))
            try hashContent(of: input, size: entry.size)
            try input.seek(toOffset: UInt64(entry.dataOffset))
            try append(TarEntry(path: name, kind: .file, mode: entry.mode, size: entry.size, mtime: entry.mtime), data: input)
        }
    }

    /// Adds every entry of the tar at `archive` (plain or compressed), below `prefix`, dropping the
    /// first name component of each when `dropFirstComponent` (a `docker cp` archive of a directory);
    /// owners become root's unless `keepsOwners` (an archive `ADD` unpacks).
    mutating func addFromArchive(_ archive: String, prefix: String, dropFirstComponent: Bool, keepsOwners: Bool, scratch: String) throws {
        var plain = archive
        if let compression = Compression.detect(fileAt: archive) {
            plain = scratch + "/decompressed.tar"
            try compression.decompress(fileAt: archive, to: plain)
        }
        defer { if plain != archive { try? FileManager.default.removeItem(atPath: plain) } }
        let reader = try TarReader(fileAt: plain)
        defer { reader.close() }
        let data = scratch + "/entry.data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        while var entry = try reader.next() {
            var relative = try TarPath.safeRelative(entry.path)
            if dropFirstComponent {
                guard let slash = relative.firstIndex(of: "/") else { continue }
                relative = String(relative[relative.index(after: slash)...])
            }
            guard relative != "." else { continue }
            entry.path = prefix.isEmpty ? relative : prefix + "/" + relative
            if entry.kind == .directory { entry.path += "/" }
            if entry.kind == .hardlink {
                let target = try TarPath.safeRelative(entry.linkName)
                entry.linkName = prefix.isEmpty ? target : prefix + "/" + target
            }
            if !keepsOwners { (entry.uid, entry.gid, entry.uname, entry.gname) = (0, 0, "", "") }
            if entry.kind.hasData {
                try reader.copyData(toFileAt: data, permissions: 0o600)
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: data))
                defer { try? handle.close() }
                try hashContent(of: handle)
                try handle.seek(toOffset: 0)
                try append(entry, data: handle)
            } else {
                try append(entry)
            }
        }
    }

    /// Ends the tar; returns the content checksum (hex).
    mutating func finish() throws -> String {
        try writer?.finish()
        return SHA256Digest.hex(SHA256Digest.string(checksum.finalize()))
    }

    private mutating func append(_ entry: TarEntry, data: FileHandle? = nil) throws {
        checksum.update(data: Array("\(entry.kind.typeflag) \(String(entry.mode, radix: 8)) \(entry.size) \(entry.path) \(entry.linkName)\n".utf8))
        if let data { try writer?.append(entry, from: data) } else { try writer?.append(entry) }
        count += 1
    }

    /// Bytes read at a time for the checksum.
    static let readChunkBytes = 1 << 17

    /// Feeds the checksum what `handle` holds from where it is: `size` bytes, or all that is left.
    private mutating func hashContent(of handle: FileHandle, size: Int64 = .max) throws {
        var left = size
        while left > 0, let chunk = try handle.read(upToCount: Int(min(left, Int64(Self.readChunkBytes)))), !chunk.isEmpty {
            checksum.update(data: chunk)
            left -= Int64(chunk.count)
        }
    }
}
