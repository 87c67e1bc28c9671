import Foundation
import Testing

@testable import Archive

/// GNU sparse files, as `tar --sparse` writes them in each of its formats.
@Suite struct SparseMapTests {
    static let size = 10_000_000

    /// A 10 MB file with 30 small data regions and holes between them (and at the end), then a
    /// small file, archived by GNU tar with `options`.
    static func makeArchive(in fixture: Fixture, options: [String]) throws {
        try fixture.python("""
            with open("sp", "wb") as f:
                f.truncate(\(size))
                for k in range(30):
                    f.seek(k * 300_000 + k)
                    f.write(bytes([65 + k]) * (10 + k))
            with open("after", "wb") as f: f.write(b"after")
            """)
        try fixture.run("/usr/bin/env", ["tar", "--sparse"] + options + ["-cf", "sp.tar", "sp", "after"])
    }

    static let variants: [[String]] = [
        ["--format=gnu"], ["--format=pax"], ["--format=pax", "--sparse-version=0.0"],
        ["--format=pax", "--sparse-version=0.1"],
    ]

    @Test(arguments: variants)
    func sparseEntriesReadAsTheWholeFile(options: [String]) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.makeArchive(in: fixture, options: options)
        #expect(try fixture.read("sp.tar").count < 1_000_000) // tar really stored it sparse

        let reader = try TarReader(fileAt: fixture.path("sp.tar"))
        let entry = try #require(try reader.next())
        #expect(entry.path == "sp")
        #expect(entry.kind == .file)
        #expect(entry.size == Int64(Self.size))
        #expect(!entry.paxRecords.keys.contains { $0.hasPrefix("GNU.sparse.") })
        var data: [UInt8] = []
        var largest = 0
        try reader.forEachDataChunk {
            data.append(contentsOf: $0)
            largest = max(largest, $0.count)
        }
        #expect(data == (try fixture.read("sp")))
        #expect(largest <= BufferedInput.defaultCapacity)
        #expect(try reader.next()?.path == "after")
        #expect(try reader.readData(maxBytes: 10) == Array("after".utf8))
        #expect(try reader.next() == nil)
    }

    @Test(arguments: variants)
    func copiesKeepTheHolesAndSkippingStaysAligned(options: [String]) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.makeArchive(in: fixture, options: options)

        let reader = try TarReader(fileAt: fixture.path("sp.tar"))
        _ = try reader.next()
        try reader.copyData(toFileAt: fixture.path("copy"))
        #expect(FileManager.default.contentsEqual(atPath: fixture.path("sp"), andPath: fixture.path("copy")))
        let blocks = try fixture.run("/usr/bin/env", ["stat", "-c", "%b", "copy"])
        #expect((Int(blocks.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max) * 512 < Self.size / 10)

        let skipping = try TarReader(fileAt: fixture.path("sp.tar"))
        #expect(try skipping.next()?.path == "sp")
        #expect(try skipping.next()?.path == "after")
        #expect(try skipping.readData(maxBytes: 10) == Array("after".utf8))
    }

    @Test func validatesMaps() {
        typealias Segment = SparseMap.Segment
        #expect(SparseMap(segments: [Segment(offset: 0, length: 5), Segment(offset: 10, length: 0)], size: 10).isValid)
        #expect(!SparseMap(segments: [Segment(offset: 5, length: 5), Segment(offset: 0, length: 1)], size: 10).isValid)
        #expect(!SparseMap(segments: [Segment(offset: 8, length: 5)], size: 10).isValid)
        #expect(!SparseMap(segments: [Segment(offset: -1, length: 1)], size: 10).isValid)
        #expect(SparseMap.segments(pairs: ["0", "4", "9"]) == nil)
        #expect(SparseMap.segments(pairs: ["0", "4", "9", "1"]) == [Segment(offset: 0, length: 4), Segment(offset: 9, length: 1)])
    }
}
