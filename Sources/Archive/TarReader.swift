import Foundation

/// Reads a tar archive sequentially, one entry at a time, streaming each entry's data.
///
/// Understands ustar, GNU (long names and links, typeflags `L` and `K`; base-256 numbers) and pax
/// (per-entry `x` headers; global `g` headers are accepted and ignored). The archive ends at two
/// zero blocks, or at end of file when it falls on a header boundary. End of file anywhere else
/// throws `ArchiveError` with code `.truncated`; a header with a bad checksum throws `.corrupt`.
/// Once an archive error has been thrown, every later call throws it again.
///
/// Memory use is bounded, whatever the archive's size: a 64 KiB buffer, plus at most 1 MiB of
/// long names and pax records for one entry (more throws `.tooLarge`). Data the caller does
/// not read is skipped by `next()` (with `lseek` on regular files). Entry paths are not checked:
/// see `TarPath`. GNU sparse files (old GNU and pax 0.0, 0.1, 1.0) read as regular files with
/// their holes as zeros; `copyData(toFileAt:)` recreates the holes.
///
/// A reader is a reference type used from one task at a time; it is not `Sendable`.
///
///     let reader = try TarReader(fileAt: "image.tar")
///     while let entry = try reader.next() {
///         if entry.path == "manifest.json" { manifest = try reader.readData(maxBytes: 1 << 20) }
///     }
public final class TarReader {
    /// The most bytes of GNU long names and pax headers accepted for one entry.
    static let maxExtendedHeaderSize: Int64 = 1 << 20
    private static let zeros = [UInt8](repeating: 0, count: 64 * 1024)

    let input: BufferedInput
    /// Archive offset of the next unread byte, for messages.
    var offset: Int64 = 0
    /// The current entry's path, where its data goes, how far it has been read, and how many of
    /// its stored bytes and padding bytes are left in the archive. Internal, not private, for
    /// `TarReader+Sparse.swift`.
    var currentPath = ""
    var layout = SparseMap.contiguous(size: 0)
    private var position: Int64 = 0
    private var dataStart: Int64?
    private var segmentIndex = 0
    var storedRemaining: Int64 = 0
    private var padding: Int64 = 0
    /// Bytes of the current entry's data not yet read.
    private var remaining: Int64 { layout.size - position }
    /// Bytes of extended headers read for the coming entry.
    private var extendedBytes: Int64 = 0
    private var ended = false
    private var failure: ArchiveError?

    /// Opens the archive at `path`; the reader closes it on `close()` or when released.
    public init(fileAt path: String) throws {
        let fd = try SystemIO.open(path, flags: O_RDONLY)
        do {
            input = try BufferedInput(fd: fd, ownsDescriptor: true)
        } catch {
            SystemIO.close(fd)
            throw error
        }
    }

    /// Reads from `handle`'s current offset; the handle stays the caller's to close. The reader
    /// reads ahead, so the handle's offset afterwards is unspecified.
    public init(handle: FileHandle) throws {
        input = try BufferedInput(fd: handle.fileDescriptor, ownsDescriptor: false)
    }

    /// Closes the archive if the reader opened it. Later reads throw.
    public func close() {
        input.close()
    }

    /// Skips what is left of the current entry's data and returns the next entry, or nil at the
    /// end of the archive.
    public func next() throws -> TarEntry? {
        try checkHealthy()
        do {
            return try readNextEntry()
        } catch let error as ArchiveError {
            failure = error
            throw error
        }
    }

    /// Where the current entry's data begins, in bytes from the start of the archive, when it is stored
    /// as it reads (not sparse): a reader of the same file can then read it in place. Nil before the
    /// first entry and for sparse entries.
    public var dataOffset: Int64? { dataStart }

    /// The rest of the current entry's data. Throws `.tooLarge` without reading when more than
    /// `maxBytes` remain; meant for small members such as JSON manifests.
    public func readData(maxBytes: Int) throws -> [UInt8] {
        try checkHealthy()
        guard remaining <= Int64(maxBytes) else {
            throw ArchiveError(.tooLarge, "\(TarPath.quoted(currentPath)) has \(remaining) bytes, more than the limit of \(maxBytes)")
        }
        var data: [UInt8] = []
        data.reserveCapacity(Int(remaining))
        try forEachDataChunk { data.append(contentsOf: $0) }
        return data
    }

    /// Streams the rest of the current entry's data to `body` in chunks of at most 64 KiB; each
    /// chunk is valid only during the call. If `body` throws, the bytes it was given are consumed.
    public func forEachDataChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try forEachSegment(maxHole: Int64(Self.zeros.count), data: body) { length in
            try Self.zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<Int(length)])) }
        }
    }

    /// Writes the rest of the current entry's data to `handle` at its current offset.
    public func copyData(to handle: FileHandle) throws {
        let fd = handle.fileDescriptor
        try forEachDataChunk { try SystemIO.write(fd, $0) }
    }

    /// Writes the rest of the current entry's data to a file at `path`, created with `permissions`
    /// (less the umask) or truncated. Refuses to follow a symlink at `path` (`O_NOFOLLOW`). The
    /// holes of a sparse entry are skipped with `lseek`, so the copy is sparse too.
    public func copyData(toFileAt path: String, permissions: UInt32 = 0o644) throws {
        let fd = try SystemIO.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, permissions: permissions)
        defer { SystemIO.close(fd) }
        var written: Int64 = 0
        try forEachSegment(maxHole: .max) { chunk in
            try SystemIO.write(fd, chunk)
            written += Int64(chunk.count)
        } hole: { length in
            try SystemIO.seek(fd, by: length)
            written += length
        }
        try SystemIO.truncate(fd, to: written)
    }

    /// Passes the rest of the current entry's data to `data`, and each run of zeros of a sparse
    /// entry's holes, at most `maxHole` long, to `hole` as a length.
    private func forEachSegment(
        maxHole: Int64, data: (UnsafeRawBufferPointer) throws -> Void, hole: (Int64) throws -> Void
    ) throws {
        try checkHealthy()
        while position < layout.size {
            while segmentIndex < layout.segments.count, layout.segments[segmentIndex].end <= position {
                segmentIndex += 1
            }
            let dataStart = segmentIndex < layout.segments.count ? layout.segments[segmentIndex].offset : layout.size
            if position < dataStart {
                let length = min(dataStart - position, maxHole)
                position += length
                try hole(length)
                continue
            }
            let wanted = layout.segments[segmentIndex].end - position
            let taken: Int
            do {
                taken = try input.withNextChunk(maxCount: Int(min(wanted, Int64(Int.max)))) { chunk in
                    position += Int64(chunk.count)
                    storedRemaining -= Int64(chunk.count)
                    offset += Int64(chunk.count)
                    try data(chunk)
                }
            } catch let error as ArchiveError {
                failure = error
                throw error
            }
            if taken == 0 {
                let error = truncatedData()
                failure = error
                throw error
            }
        }
    }

    private func checkHealthy() throws {
        if let failure { throw failure }
    }

    private func truncatedData() -> ArchiveError {
        ArchiveError.truncated("archive ends inside the data of \(TarPath.quoted(currentPath)) at byte \(offset), \(storedRemaining) bytes short")
    }

    private func readNextEntry() throws -> TarEntry? {
        let skipped = try input.skip(storedRemaining)
        offset += skipped
        storedRemaining -= skipped
        if storedRemaining > 0 { throw truncatedData() }
        layout = .contiguous(size: 0)
        position = 0
        segmentIndex = 0
        let paddingStart = offset
        try skip(padding) {
            ArchiveError.truncated("archive ends inside the padding after \(TarPath.quoted(self.currentPath)) at byte \(paddingStart)")
        }
        padding = 0
        currentPath = ""
        guard !ended else { return nil }

        var longName: [UInt8]?
        var longLink: [UInt8]?
        var pax: [(key: String, value: [UInt8])] = []
        extendedBytes = 0
        while true {
            let headerOffset = offset
            guard let block = try readHeaderBlock() else {
                guard longName == nil, longLink == nil, pax.isEmpty else {
                    throw ArchiveError.truncated("archive ends after an extended header at byte \(headerOffset)")
                }
                ended = true
                return nil
            }
            let header = try TarHeader.decode(block, at: headerOffset)
            switch header.typeflag {
            case UInt8(ascii: "L"):
                longName = TarHeader.cString(try extendedData(header, at: headerOffset)[...])
            case UInt8(ascii: "K"):
                longLink = TarHeader.cString(try extendedData(header, at: headerOffset)[...])
            case UInt8(ascii: "x"):
                pax += try PaxRecords.parse(extendedData(header, at: headerOffset))
            case UInt8(ascii: "g"):
                _ = try PaxRecords.parse(extendedData(header, at: headerOffset))
            default:
                var entry = header.entry
                if let longName { entry.path = String(decoding: longName, as: UTF8.self) }
                if let longLink { entry.linkName = String(decoding: longLink, as: UTF8.self) }
                try apply(pax, to: &entry, at: headerOffset)
                entry.path = TarPath.memberPath(entry.path)
                if entry.kind == .hardlink { entry.linkName = TarPath.memberPath(entry.linkName) }
                if !entry.kind.hasData { entry.size = 0 }
                currentPath = entry.path
                storedRemaining = entry.size
                padding = Self.padding(for: entry.size)
                layout = .contiguous(size: entry.size)
                try readSparseMap(header, pax, into: &entry, at: headerOffset)
                dataStart = layout == .contiguous(size: layout.size) ? offset : nil
                return entry
            }
        }
    }

    /// The next header block, or nil at the end of the archive: two zero blocks, one zero block
    /// followed by end of file, or end of file at a block boundary.
    private func readHeaderBlock() throws -> [UInt8]? {
        let start = offset
        let block = try input.read(count: TarHeader.blockSize)
        offset += Int64(block.count)
        if block.isEmpty { return nil }
        guard block.count == TarHeader.blockSize else {
            throw ArchiveError.truncated("archive ends inside the header at byte \(start)")
        }
        guard TarHeader.isZeroBlock(block) else { return block }
        let second = try input.read(count: TarHeader.blockSize)
        offset += Int64(second.count)
        guard second.isEmpty || TarHeader.isZeroBlock(second) else {
            throw ArchiveError.corrupt("a single zero block at byte \(start) is followed by data")
        }
        return nil
    }

    /// The data of an `L`, `K`, `x` or `g` header, with its padding consumed.
    private func extendedData(_ header: TarHeader.Decoded, at headerOffset: Int64) throws -> [UInt8] {
        let size = header.entry.size
        // The size may be anything up to Int64.max (base-256): compare before adding.
        guard size <= Self.maxExtendedHeaderSize - extendedBytes else {
            throw ArchiveError(.tooLarge, "extended headers at byte \(headerOffset) exceed \(Self.maxExtendedHeaderSize) bytes")
        }
        extendedBytes += size
        var data: [UInt8] = []
        while data.count < Int(size) {
            let chunk = try input.read(count: Int(size) - data.count)
            guard !chunk.isEmpty else {
                throw ArchiveError.truncated("archive ends inside the extended header at byte \(headerOffset)")
            }
            data += chunk
        }
        offset += size
        try skip(Self.padding(for: size)) {
            ArchiveError.truncated("archive ends inside the extended header at byte \(headerOffset)")
        }
        return data
    }

    private func apply(_ records: [(key: String, value: [UInt8])], to entry: inout TarEntry, at headerOffset: Int64) throws {
        func number(_ key: String, _ value: [UInt8]) throws -> Int64 {
            guard let number = PaxRecords.integer(value) else {
                throw ArchiveError.corrupt("bad pax \(key) \"\(String(decoding: value, as: UTF8.self))\" at byte \(headerOffset)")
            }
            return number
        }
        for (key, value) in records {
            // An empty value deletes the record; for the mapped keys, the header field then stands.
            switch key {
            case "path": if !value.isEmpty { entry.path = String(decoding: value, as: UTF8.self) }
            case "linkpath": if !value.isEmpty { entry.linkName = String(decoding: value, as: UTF8.self) }
            case "uname": entry.uname = String(decoding: value, as: UTF8.self)
            case "gname": entry.gname = String(decoding: value, as: UTF8.self)
            case "uid": if !value.isEmpty { entry.uid = Int(try number(key, value)) }
            case "gid": if !value.isEmpty { entry.gid = Int(try number(key, value)) }
            case "size":
                guard !value.isEmpty else { continue }
                let size = try number(key, value)
                guard size >= 0 else { throw ArchiveError.corrupt("negative pax size at byte \(headerOffset)") }
                entry.size = size
            case "mtime":
                guard !value.isEmpty else { continue }
                guard let seconds = PaxRecords.seconds(value) else {
                    throw ArchiveError.corrupt("bad pax mtime \"\(String(decoding: value, as: UTF8.self))\" at byte \(headerOffset)")
                }
                entry.mtime = seconds
            default:
                if key.hasPrefix(PaxRecords.xattrPrefix) {
                    let name = String(key.dropFirst(PaxRecords.xattrPrefix.count))
                    entry.xattrs[name] = value.isEmpty ? nil : value
                } else {
                    entry.paxRecords[key] = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
                }
            }
        }
    }

    /// Skips `count` bytes of the archive, throwing `error()` if it ends first.
    private func skip(_ count: Int64, orThrow error: () -> ArchiveError) throws {
        guard count > 0 else { return }
        let skipped = try input.skip(count)
        offset += skipped
        if skipped < count { throw error() }
    }

    static func padding(for size: Int64) -> Int64 {
        let block = Int64(TarHeader.blockSize)
        return (block - size % block) % block
    }
}
