import Foundation

/// Writes a tar archive sequentially: ustar headers, with a pax `x` header before any entry whose
/// path, link target or owner names do not fit ustar, whose size is 8 GiB or more, whose numbers
/// do not fit octal, or that has xattrs or other pax records.
///
/// Output is deterministic: the same calls give the same bytes. The convenience methods write
/// uid and gid 0 and empty owner names; pax headers carry no process id or time; nothing but the
/// caller's arguments goes into the archive. `finish()` ends the archive with two zero blocks and
/// no further record padding, as Go's archive/tar does.
///
/// Output is buffered (64 KiB) and reaches the file on `finish()`. After an error the archive is
/// incomplete and every later call throws the same error. A writer is a reference type used from
/// one task at a time; it is not `Sendable`.
public final class TarWriter {
    private let output: BufferedOutput
    private var finished = false
    private var failure: ArchiveError?

    /// Creates (or truncates) the file at `path`; the writer closes it in `finish()` or when released.
    public init(fileAt path: String, permissions: UInt32 = 0o644) throws {
        let fd = try SystemIO.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC, permissions: permissions)
        output = BufferedOutput(fd: fd, ownsDescriptor: true)
    }

    /// Writes at `handle`'s current offset; the handle stays the caller's to close.
    public init(handle: FileHandle) {
        output = BufferedOutput(fd: handle.fileDescriptor, ownsDescriptor: false)
    }

    /// Adds a directory; its name gets a trailing `/`.
    public func addDirectory(path: String, mode: UInt32 = 0o755, mtime: Int64 = 0) throws {
        try append(TarEntry(path: path, kind: .directory, mode: mode, mtime: mtime))
    }

    /// Adds a regular file with `contents`.
    public func addFile(path: String, mode: UInt32 = 0o644, mtime: Int64 = 0, contents: [UInt8]) throws {
        try append(TarEntry(path: path, kind: .file, mode: mode, mtime: mtime), contents: contents)
    }

    /// Adds a regular file whose data is streamed from the file at `source`. `size` defaults to the
    /// source's current size; a source shorter than `size` throws `.invalidArgument`.
    public func addFile(path: String, mode: UInt32 = 0o644, mtime: Int64 = 0, size: Int64? = nil, fromFileAt source: String) throws {
        try checkWritable()
        let fd = try SystemIO.open(source, flags: O_RDONLY)
        defer { SystemIO.close(fd) }
        guard let size = try size ?? SystemIO.regularFileSize(fd) else {
            throw ArchiveError.invalidArgument("\(TarPath.quoted(source)) is not a regular file; pass its size")
        }
        try append(TarEntry(path: path, kind: .file, mode: mode, size: size, mtime: mtime), fromDescriptor: fd)
    }

    /// Adds a regular file whose `size` bytes are streamed from `handle`'s current offset.
    public func addFile(path: String, mode: UInt32 = 0o644, mtime: Int64 = 0, size: Int64, from handle: FileHandle) throws {
        try append(TarEntry(path: path, kind: .file, mode: mode, size: size, mtime: mtime), from: handle)
    }

    /// Adds a symbolic link to `target` (mode `0777`, as on Linux).
    public func addSymlink(path: String, target: String, mtime: Int64 = 0) throws {
        try append(TarEntry(path: path, kind: .symlink, mode: 0o777, mtime: mtime, linkName: target))
    }

    /// Adds a hard link to the earlier member `target`.
    public func addHardlink(path: String, target: String, mode: UInt32 = 0o644, mtime: Int64 = 0) throws {
        try append(TarEntry(path: path, kind: .hardlink, mode: mode, mtime: mtime, linkName: target))
    }

    /// Adds an entry without data: a directory, link, device, fifo, or an empty file. Every field
    /// of `entry` is written as given (path as given, plus `/` for a directory).
    public func append(_ entry: TarEntry) throws {
        guard !entry.kind.hasData || entry.size == 0 else {
            throw ArchiveError.invalidArgument("\(TarPath.quoted(entry.path)) has \(entry.size) bytes of data; pass them with append(_:contents:) or append(_:from:)")
        }
        try append(entry, contents: [])
    }

    /// Adds an entry with `contents` as its data; the entry's `size` is taken from `contents`.
    public func append(_ entry: TarEntry, contents: [UInt8]) throws {
        try checkWritable()
        var entry = entry
        entry.size = entry.kind.hasData ? Int64(contents.count) : 0
        guard entry.kind.hasData || contents.isEmpty else {
            throw ArchiveError.invalidArgument("\(TarPath.quoted(entry.path)) cannot have data")
        }
        let header = try TarHeader.encode(entry)
        try guarded {
            try output.write(header)
            try output.write(contents)
            try output.writeZeros(Int(TarReader.padding(for: entry.size)))
        }
    }

    /// Adds an entry whose `entry.size` bytes of data are streamed from `handle`'s current offset.
    public func append(_ entry: TarEntry, from handle: FileHandle) throws {
        try append(entry, fromDescriptor: handle.fileDescriptor)
    }

    /// Writes the end-of-archive marker (two zero blocks), flushes, and closes the file if the
    /// writer opened it. Later calls do nothing.
    public func finish() throws {
        try checkHealthy()
        guard !finished else { return }
        try guarded {
            try output.writeZeros(2 * TarHeader.blockSize)
            try output.flush()
        }
        finished = true
        output.close()
    }

    private func append(_ entry: TarEntry, fromDescriptor fd: Int32) throws {
        try checkWritable()
        guard entry.kind.hasData || entry.size == 0 else {
            throw ArchiveError.invalidArgument("\(TarPath.quoted(entry.path)) cannot have data")
        }
        let header = try TarHeader.encode(entry)
        try guarded {
            try output.write(header)
            let copied = try output.copy(from: fd, count: entry.size)
            guard copied == entry.size else {
                throw ArchiveError.invalidArgument("source of \(TarPath.quoted(entry.path)) ended after \(copied) of \(entry.size) bytes")
            }
            try output.writeZeros(Int(TarReader.padding(for: entry.size)))
        }
    }

    /// Runs a write that, if it fails halfway, leaves the archive unusable.
    private func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ArchiveError {
            failure = error
            throw error
        }
    }

    private func checkHealthy() throws {
        if let failure { throw failure }
    }

    private func checkWritable() throws {
        try checkHealthy()
        guard !finished else { throw ArchiveError.invalidArgument("the archive is already finished") }
    }
}
