extension TarReader {
    /// The most segments a sparse map may have.
    static let maxSparseSegments = 1 << 17

    /// Turns a GNU sparse entry into the regular file it stands for: its real name and size, and
    /// the layout of its stored data. Does nothing for other entries.
    func readSparseMap(
        _ header: TarHeader.Decoded, _ pax: [(key: String, value: [UInt8])], into entry: inout TarEntry, at headerOffset: Int64
    ) throws {
        func corrupt() -> ArchiveError {
            ArchiveError.corrupt("bad sparse map for \(TarPath.quoted(entry.path)) at byte \(headerOffset)")
        }
        var segments: [SparseMap.Segment]
        var size = entry.size
        if header.typeflag == UInt8(ascii: "S"), header.format == .gnu {
            guard var found = SparseMap.oldGNUSegments(header.block[SparseMap.OldGNU.headerEntries]) else { throw corrupt() }
            var extended = header.block[SparseMap.OldGNU.headerIsExtended] != 0
            while extended {
                let blockOffset = offset
                let block = try input.read(count: TarHeader.blockSize)
                offset += Int64(block.count)
                guard block.count == TarHeader.blockSize else {
                    throw ArchiveError.truncated("archive ends inside the sparse map at byte \(blockOffset)")
                }
                guard let more = SparseMap.oldGNUSegments(block[SparseMap.OldGNU.extensionEntries]),
                      found.count + more.count <= Self.maxSparseSegments
                else { throw corrupt() }
                found += more
                extended = block[SparseMap.OldGNU.extensionIsExtended] != 0
            }
            segments = found
            if let realSize = TarHeader.number(header.block[SparseMap.OldGNU.realSize]), realSize > 0 { size = realSize }
            entry.kind = .file
        } else {
            let records = Dictionary(pax.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }) { $1 }
            let major = records["GNU.sparse.major"]
            let minor = records["GNU.sparse.minor"]
            // Format 0.0 repeats offset and length records; 0.1 joins them in one map record.
            let pairs = pax.filter { $0.key == "GNU.sparse.offset" || $0.key == "GNU.sparse.numbytes" }
                .map { Substring(String(decoding: $0.value, as: UTF8.self)) }
            let isVersion1: Bool
            switch (major, minor) {
            case ("1", "0"): isVersion1 = true
            case ("0", "0"), ("0", "1"): isVersion1 = false
            case (nil, nil):
                // Versions 0.0 and 0.1 have no version records.
                guard records["GNU.sparse.map"] != nil || !pairs.isEmpty else { return }
                isVersion1 = false
            default: throw ArchiveError.corrupt("unknown GNU sparse format \(major ?? "?").\(minor ?? "?") at byte \(headerOffset)")
            }
            if let name = records["GNU.sparse.name"], !name.isEmpty { entry.path = TarPath.memberPath(name) }
            if let text = records["GNU.sparse.size"] ?? records["GNU.sparse.realsize"] {
                guard let value = Int64(text) else { throw corrupt() }
                size = value
            }
            if isVersion1 {
                segments = try readSparseMapLines(for: entry.path)
            } else if let map = records["GNU.sparse.map"] {
                guard let found = SparseMap.segments(pairs: map.split(separator: ",", omittingEmptySubsequences: false)) else { throw corrupt() }
                segments = found
            } else {
                guard let found = SparseMap.segments(pairs: pairs) else { throw corrupt() }
                segments = found
            }
            entry.paxRecords = entry.paxRecords.filter { !$0.key.hasPrefix(SparseMap.paxPrefix) }
        }
        let map = SparseMap(segments: segments, size: size)
        // `isValid` first: it bounds what `storedSize` adds up.
        guard segments.count <= Self.maxSparseSegments, map.isValid, map.storedSize == storedRemaining else { throw corrupt() }
        entry.size = size
        currentPath = entry.path
        layout = map
    }

    /// Reads the sparse map that starts the data of a pax 1.0 sparse entry: decimal lines, the
    /// count then offset and length pairs, padded to a whole block.
    private func readSparseMapLines(for path: String) throws -> [SparseMap.Segment] {
        let mapOffset = offset
        func corrupt() -> ArchiveError {
            ArchiveError.corrupt("bad sparse map for \(TarPath.quoted(path)) at byte \(mapOffset)")
        }
        var numbers: [Int64] = []
        var current: Int64?
        var wanted: Int?
        while numbers.count < wanted ?? 1 {
            guard storedRemaining >= Int64(TarHeader.blockSize) else { throw corrupt() }
            let block = try input.read(count: TarHeader.blockSize)
            offset += Int64(block.count)
            storedRemaining -= Int64(block.count)
            guard block.count == TarHeader.blockSize else {
                throw ArchiveError.truncated("archive ends inside the sparse map of \(TarPath.quoted(path)) at byte \(mapOffset)")
            }
            for byte in block where numbers.count < wanted ?? 1 {
                if byte == UInt8(ascii: "\n") {
                    guard let number = current else { throw corrupt() }
                    numbers.append(number)
                    current = nil
                    if numbers.count == 1 {
                        guard number <= Int64(Self.maxSparseSegments) else { throw corrupt() }
                        wanted = 1 + 2 * Int(number)
                    }
                } else {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), (current ?? 0) < Int64.max / 10 - 9 else {
                        throw corrupt()
                    }
                    current = (current ?? 0) * 10 + Int64(byte - UInt8(ascii: "0"))
                }
            }
        }
        return stride(from: 1, to: numbers.count, by: 2).map {
            SparseMap.Segment(offset: numbers[$0], length: numbers[$0 + 1])
        }
    }
}
