/// Where an entry's stored data goes in the file it describes. Ordinary entries have one segment
/// covering the whole file; GNU sparse entries (old GNU typeflag `S`, pax formats 0.0, 0.1 and
/// 1.0) store only their data segments, and the gaps between them read as zeros.
struct SparseMap: Equatable {
    struct Segment: Equatable {
        var offset: Int64
        var length: Int64
        var end: Int64 { offset + length }
    }

    var segments: [Segment]
    /// The size of the file, holes included.
    var size: Int64

    static func contiguous(size: Int64) -> SparseMap {
        SparseMap(segments: [Segment(offset: 0, length: size)], size: size)
    }

    /// The bytes of stored data the segments account for.
    var storedSize: Int64 {
        segments.reduce(0) { $0 + $1.length }
    }

    /// Whether the segments are in order, do not overlap, and fit in the file. A valid map's ends and
    /// stored size cannot overflow: each is at most `size`.
    var isValid: Bool {
        guard size >= 0 else { return false }
        var previousEnd: Int64 = 0
        for segment in segments {
            guard segment.offset >= previousEnd, segment.length >= 0, segment.length <= size,
                  segment.offset <= size - segment.length
            else { return false }
            previousEnd = segment.end
        }
        return true
    }

    /// Pax keys of the GNU sparse formats; they describe the stored layout, not the file, so the
    /// reader drops them from `TarEntry.paxRecords`.
    static let paxPrefix = "GNU.sparse."

    /// Parses old GNU sparse entries (24 bytes each: offset and length, 12 bytes of octal each)
    /// from `area`, stopping at the first unused one.
    static func oldGNUSegments(_ area: ArraySlice<UInt8>) -> [Segment]? {
        var segments: [Segment] = []
        var start = area.startIndex
        while start + 24 <= area.endIndex, area[start] != 0 {
            guard let offset = TarHeader.number(area[start..<(start + 12)]),
                  let length = TarHeader.number(area[(start + 12)..<(start + 24)])
            else { return nil }
            segments.append(Segment(offset: offset, length: length))
            start += 24
        }
        return segments
    }

    /// Byte ranges of the old GNU sparse fields, in the header and in extension blocks.
    enum OldGNU {
        static let headerEntries = 386..<482
        static let headerIsExtended = 482
        static let realSize = 483..<495
        static let extensionEntries = 0..<504
        static let extensionIsExtended = 504
    }

    /// Parses decimal numbers in pairs, offset then length (the `GNU.sparse.map` value of pax 0.1,
    /// the offsets and lengths of 0.0, the lines of 1.0).
    static func segments(pairs numbers: [Substring]) -> [Segment]? {
        guard numbers.count % 2 == 0 else { return nil }
        var segments: [Segment] = []
        var index = 0
        while index < numbers.count {
            guard let offset = Int64(numbers[index]), let length = Int64(numbers[index + 1]) else { return nil }
            segments.append(Segment(offset: offset, length: length))
            index += 2
        }
        return segments
    }
}
