/// The 512-byte header block of the ustar, GNU and old V7 formats: field layout, numbers and
/// checksum. Decoding lives here; choosing pax records when writing is in `TarHeader+Encoding.swift`.
enum TarHeader {
    static let blockSize = 512

    /// The header formats told apart by the magic field.
    enum Format {
        case v7, ustar, gnu
    }

    /// Byte ranges of the header fields.
    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156
        static let linkName = 157..<257
        static let magic = 257..<263
        static let version = 263..<265
        static let uname = 265..<297
        static let gname = 297..<329
        static let devMajor = 329..<337
        static let devMinor = 337..<345
        static let prefix = 345..<500
    }

    static let ustarMagic: [UInt8] = Array("ustar\0".utf8)
    static let gnuMagic: [UInt8] = Array("ustar ".utf8)

    /// A decoded header: the entry as this block alone describes it, its raw typeflag and format,
    /// and the block itself for format-specific fields.
    struct Decoded {
        var entry: TarEntry
        var typeflag: UInt8
        var format: Format
        var block: [UInt8]
    }

    static func isZeroBlock(_ block: [UInt8]) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Decodes one header block; `offset` is where it starts in the archive, for messages.
    static func decode(_ block: [UInt8], at offset: Int64) throws -> Decoded {
        guard block.count == blockSize else { throw ArchiveError.truncated("archive ends inside the header at byte \(offset)") }
        guard let stored = number(block[Field.checksum]) else {
            throw ArchiveError.corrupt("unreadable header checksum at byte \(offset)")
        }
        let (unsigned, signed) = checksums(block)
        guard stored == unsigned || stored == signed else {
            throw ArchiveError.corrupt("header checksum mismatch at byte \(offset): stored \(stored), computed \(unsigned)")
        }

        let magic = Array(block[Field.magic])
        let format: Format = magic == ustarMagic ? .ustar : (magic == gnuMagic ? .gnu : .v7)
        var nameBytes = cString(block[Field.name])
        if format == .ustar {
            let prefix = cString(block[Field.prefix])
            if !prefix.isEmpty { nameBytes = prefix + [UInt8(ascii: "/")] + nameBytes }
        }

        func field(_ range: Range<Int>, _ label: String) throws -> Int64 {
            guard let value = number(block[range]) else {
                throw ArchiveError.corrupt("unreadable \(label) field in the header at byte \(offset)")
            }
            return value
        }
        let typeflag = block[Field.typeflag]
        let path = String(decoding: nameBytes, as: UTF8.self)
        var kind = TarEntry.Kind(typeflag: typeflag)
        if typeflag == 0, path.hasSuffix("/") { kind = .directory }
        let size = try field(Field.size, "size")
        guard size >= 0 else { throw ArchiveError.corrupt("negative size in the header at byte \(offset)") }
        let hasOwnerNames = format != .v7

        let entry = TarEntry(
            path: path,
            kind: kind,
            mode: UInt32(truncatingIfNeeded: try field(Field.mode, "mode")) & 0o7777,
            uid: Int(try field(Field.uid, "uid")),
            gid: Int(try field(Field.gid, "gid")),
            uname: hasOwnerNames ? string(block[Field.uname]) : "",
            gname: hasOwnerNames ? string(block[Field.gname]) : "",
            size: size,
            mtime: try field(Field.mtime, "mtime"),
            linkName: string(block[Field.linkName]),
            devMajor: hasOwnerNames ? Int(try field(Field.devMajor, "devmajor")) : 0,
            devMinor: hasOwnerNames ? Int(try field(Field.devMinor, "devminor")) : 0
        )
        return Decoded(entry: entry, typeflag: typeflag, format: format, block: block)
    }

    /// The header's sums with the checksum field counted as spaces: as unsigned bytes (the
    /// standard) and as signed bytes (what some historic writers used).
    static func checksums(_ block: [UInt8]) -> (unsigned: Int64, signed: Int64) {
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in block.enumerated() {
            let value = Field.checksum.contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return (unsigned, signed)
    }

    /// Parses a numeric field: octal digits padded with spaces or NULs (empty means 0), or GNU's
    /// base-256 form, marked by the high bit of the first byte. Nil when malformed or too large.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        if let first = field.first, first & 0x80 != 0 {
            let invert: UInt8 = first & 0x40 != 0 ? 0xFF : 0
            var value: UInt64 = 0
            for (index, raw) in field.enumerated() {
                var byte = raw ^ invert
                if index == 0 { byte &= 0x7F }
                guard value >> 56 == 0 else { return nil }
                value = value << 8 | UInt64(byte)
            }
            guard value >> 63 == 0 else { return nil }
            return invert == 0xFF ? ~Int64(value) : Int64(value)
        }
        let digits = field
            .drop { $0 == UInt8(ascii: " ") || $0 == 0 }
            .prefix { $0 != UInt8(ascii: " ") && $0 != 0 }
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit), value >> 60 == 0 else { return nil }
            value = value << 3 | Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The bytes of a string field up to its first NUL.
    static func cString(_ field: ArraySlice<UInt8>) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }

    static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: cString(field), as: UTF8.self)
    }
}
