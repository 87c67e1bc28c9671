extension TarHeader {
    /// The largest value an octal field of `width` bytes holds (digits plus a NUL terminator).
    static func octalLimit(width: Int) -> Int64 {
        (Int64(1) << (3 * Int64(width - 1))) - 1
    }

    /// The header blocks for `entry`: a ustar header, preceded by a pax `x` header when a field
    /// does not fit ustar (long or non-ASCII strings, numbers too large for octal) or the entry
    /// has xattrs or other pax records. Records are sorted by key, so the output is deterministic.
    static func encode(_ entry: TarEntry) throws -> [UInt8] {
        try validate(entry)
        var pax: [String: [UInt8]] = [:]
        for (key, value) in entry.paxRecords where !PaxRecords.fieldKeys.contains(key) {
            pax[key] = Array(value.utf8)
        }
        for (name, value) in entry.xattrs {
            pax[PaxRecords.xattrPrefix + name] = value
        }

        var block = [UInt8](repeating: 0, count: blockSize)
        var name = entry.path
        if entry.kind == .directory, !name.hasSuffix("/") { name += "/" }
        let nameBytes = Array(name.utf8)
        if let (prefix, suffix) = splitUSTARPath(nameBytes) {
            put(suffix, in: &block, Field.name)
            put(prefix, in: &block, Field.prefix)
        } else {
            pax["path"] = nameBytes
            put(asciiPrefix(nameBytes, Field.name.count), in: &block, Field.name)
        }
        for (value, range, key) in [
            (entry.linkName, Field.linkName, "linkpath"), (entry.uname, Field.uname, "uname"),
            (entry.gname, Field.gname, "gname"),
        ] {
            let bytes = Array(value.utf8)
            if bytes.count <= range.count, isASCII(bytes) {
                put(bytes, in: &block, range)
            } else {
                pax[key] = bytes
                put(asciiPrefix(bytes, range.count), in: &block, range)
            }
        }
        let size = entry.kind.hasData ? entry.size : 0
        for (value, range, key) in [
            (Int64(entry.uid), Field.uid, "uid"), (Int64(entry.gid), Field.gid, "gid"),
            (size, Field.size, "size"), (entry.mtime, Field.mtime, "mtime"),
        ] {
            if (0...octalLimit(width: range.count)).contains(value) {
                putOctal(value, in: &block, range)
            } else {
                pax[key] = Array(String(value).utf8)
                putOctal(0, in: &block, range)
            }
        }
        putOctal(Int64(entry.mode & 0o7777), in: &block, Field.mode)
        putNumber(Int64(entry.devMajor), in: &block, Field.devMajor)
        putNumber(Int64(entry.devMinor), in: &block, Field.devMinor)
        block[Field.typeflag] = entry.kind.typeflag
        finish(&block)

        guard !pax.isEmpty else { return block }
        let records = PaxRecords.encode(pax.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        var paxBlock = [UInt8](repeating: 0, count: blockSize)
        put(asciiPrefix(Array(paxHeaderName(for: entry.path).utf8), Field.name.count), in: &paxBlock, Field.name)
        putOctal(0o644, in: &paxBlock, Field.mode)
        putOctal(0, in: &paxBlock, Field.uid)
        putOctal(0, in: &paxBlock, Field.gid)
        putOctal(Int64(records.count), in: &paxBlock, Field.size)
        putOctal(0, in: &paxBlock, Field.mtime)
        paxBlock[Field.typeflag] = UInt8(ascii: "x")
        finish(&paxBlock)
        let padding = Int(TarReader.padding(for: Int64(records.count)))
        return paxBlock + records + [UInt8](repeating: 0, count: padding) + block
    }

    private static func validate(_ entry: TarEntry) throws {
        guard !entry.path.isEmpty else { throw ArchiveError.invalidArgument("an archive entry needs a path") }
        for (label, value) in [("path", entry.path), ("link target", entry.linkName), ("uname", entry.uname), ("gname", entry.gname)]
        where value.utf8.contains(0) {
            throw ArchiveError.invalidArgument("\(label) of \(TarPath.quoted(entry.path)) contains NUL")
        }
        guard entry.uid >= 0, entry.gid >= 0, entry.size >= 0, entry.devMajor >= 0, entry.devMinor >= 0 else {
            throw ArchiveError.invalidArgument("negative uid, gid, size or device number for \(TarPath.quoted(entry.path))")
        }
        if case .other(let flag) = entry.kind, [UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g")].contains(flag) {
            throw ArchiveError.invalidArgument("typeflag \(Character(Unicode.Scalar(flag))) is reserved for extended headers")
        }
        for key in entry.paxRecords.keys where key.isEmpty || key.contains("=") || key.utf8.contains(0) {
            throw ArchiveError.invalidArgument("bad pax record key \"\(key)\" for \(TarPath.quoted(entry.path))")
        }
        for name in entry.xattrs.keys where name.isEmpty || name.contains("=") || name.utf8.contains(0) {
            throw ArchiveError.invalidArgument("bad xattr name \"\(name)\" for \(TarPath.quoted(entry.path))")
        }
    }

    /// Splits a path into ustar's prefix and name fields, preferring the longest prefix; nil when
    /// the path is not ASCII or cannot be split to fit.
    static func splitUSTARPath(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        guard isASCII(path) else { return nil }
        if path.count <= Field.name.count { return ([], path) }
        var length = path.count
        if length > Field.prefix.count + 1 {
            length = Field.prefix.count + 1
        } else if path[length - 1] == UInt8(ascii: "/") {
            length -= 1
        }
        guard let slash = path[..<length].lastIndex(of: UInt8(ascii: "/")), slash > 0 else { return nil }
        let nameLength = path.count - slash - 1
        guard nameLength > 0, nameLength <= Field.name.count else { return nil }
        return (Array(path[..<slash]), Array(path[(slash + 1)...]))
    }

    /// The name of the pax header member, in the style of Go's archive/tar: no process id, so
    /// output is reproducible.
    private static func paxHeaderName(for path: String) -> String {
        let components = path.split(separator: "/")
        let base = components.last.map(String.init) ?? "entry"
        let directory = components.dropLast().joined(separator: "/")
        return (directory.isEmpty ? "" : directory + "/") + "PaxHeaders.0/" + base
    }

    private static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// What goes in a ustar field when the real value is in a pax record: the value truncated,
    /// with non-ASCII bytes replaced, as readers without pax support would show it.
    private static func asciiPrefix(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.prefix(length).map { $0 < 0x80 ? $0 : UInt8(ascii: "_") }
    }

    private static func put(_ bytes: [UInt8], in block: inout [UInt8], _ range: Range<Int>) {
        for (index, byte) in bytes.prefix(range.count).enumerated() {
            block[range.lowerBound + index] = byte
        }
    }

    /// Zero-padded octal digits filling the field but its last byte, which stays NUL.
    private static func putOctal(_ value: Int64, in block: inout [UInt8], _ range: Range<Int>) {
        let digits = Array(String(value, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, range.count - 1 - digits.count)) + digits
        put(padded, in: &block, range)
    }

    /// Octal when the value fits, GNU base-256 otherwise.
    private static func putNumber(_ value: Int64, in block: inout [UInt8], _ range: Range<Int>) {
        if (0...octalLimit(width: range.count)).contains(value) {
            putOctal(value, in: &block, range)
            return
        }
        var remaining = UInt64(bitPattern: value)
        for index in range.reversed() {
            block[index] = UInt8(truncatingIfNeeded: remaining)
            remaining >>= 8
        }
        block[range.lowerBound] |= 0x80
    }

    /// Writes the ustar magic and version and the checksum.
    private static func finish(_ block: inout [UInt8]) {
        put(ustarMagic, in: &block, Field.magic)
        put(Array("00".utf8), in: &block, Field.version)
        let (sum, _) = checksums(block)
        putOctal(sum, in: &block, Field.checksum.lowerBound..<(Field.checksum.upperBound - 1))
        block[Field.checksum.upperBound - 1] = UInt8(ascii: " ")
    }
}
