import Foundation
import Testing

@testable import Archive

/// Headers an attacker writes by hand: every number at its extremes, each read to an `ArchiveError` or
/// an entry, never a trap. The measured cases of issue 18 (`docker cp` of a sparse entry whose size is
/// -2, `docker load` of a long name whose base-256 size is Int64.max) and the inputs the tar fuzz target
/// (fuzz/) crashed on, kept in `Regressions/`.
@Suite struct HostileHeaderTests {
    /// A ustar header block with a valid checksum; `size` is the raw 12-byte field.
    static func header(_ name: String, typeflag: Character = "0", size: [UInt8] = octal(0, width: 12)) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<min(name.utf8.count, 100), with: name.utf8.prefix(100))
        block.replaceSubrange(100..<108, with: octal(0o644, width: 8))
        block.replaceSubrange(124..<136, with: size)
        block.replaceSubrange(136..<148, with: octal(0, width: 12))
        block[156] = typeflag.asciiValue ?? 0
        block.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
        let sum = TarHeader.checksums(block).unsigned
        block.replaceSubrange(148..<156, with: octal(Int(sum), width: 7) + [UInt8(ascii: " ")])
        return block
    }

    static func octal(_ value: Int, width: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 8).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits + [0]
    }

    /// GNU base-256: the high bit of the first byte set, the value big-endian in the rest.
    static func base256(_ value: Int64, width: Int = 12) -> [UInt8] {
        var bytes = [UInt8](repeating: value < 0 ? 0xFF : 0, count: width)
        var remaining = UInt64(bitPattern: value)
        for index in (width - 8..<width).reversed() {
            bytes[index] = UInt8(truncatingIfNeeded: remaining)
            remaining >>= 8
        }
        bytes[0] |= 0x80
        return bytes
    }

    /// A pax `x` header carrying `records`, padded to whole blocks.
    static func pax(_ records: [(String, String)]) -> [UInt8] {
        let data = PaxRecords.encode(records.map { ($0.0, Array($0.1.utf8)) })
        return header("PaxHeaders/f", typeflag: "x", size: octal(data.count, width: 12)) + padded(data)
    }

    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: Int(TarReader.padding(for: Int64(data.count))))
    }

    /// Reads every entry and all their data; the error that ends the archive, or nil.
    static func readAll(_ bytes: [UInt8]) throws -> ArchiveError? {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let reader = try TarReader(fileAt: try fixture.write("hostile.tar", bytes))
        defer { reader.close() }
        do {
            while let entry = try reader.next() {
                if entry.kind.hasData { try reader.forEachDataChunk { _ in } }
            }
            return nil
        } catch let error as ArchiveError {
            return error
        }
    }

    static let end = [UInt8](repeating: 0, count: 1024)

    @Test func aSparseEntryWhoseSizeIsMinusTwoIsCorrupt() throws {
        for map in ["0,9223372036854775807", "0,1", "9223372036854775807,9223372036854775807", ""] {
            let archive = Self.pax([("GNU.sparse.major", "0"), ("GNU.sparse.minor", "1"), ("GNU.sparse.size", "-2"), ("GNU.sparse.map", map)])
                + Self.header("sparse", size: Self.octal(0, width: 12)) + Self.end
            #expect(try Self.readAll(archive)?.code == .corrupt, "map \(map)")
        }
        let pairs = Self.pax([
            ("GNU.sparse.size", "-2"), ("GNU.sparse.offset", "0"), ("GNU.sparse.numbytes", "9223372036854775807"),
        ])
        #expect(try Self.readAll(pairs + Self.header("sparse") + Self.end)?.code == .corrupt)
    }

    @Test func sparseSegmentsThatOverflowAreCorrupt() throws {
        let huge = Int64.max
        #expect(!SparseMap(segments: [.init(offset: 1, length: huge)], size: huge).isValid)
        #expect(!SparseMap(segments: [.init(offset: huge, length: huge)], size: huge).isValid)
        #expect(!SparseMap(segments: [.init(offset: 0, length: huge)], size: -2).isValid)
        #expect(!SparseMap(segments: [.init(offset: -1, length: 1)], size: 2).isValid)
        #expect(SparseMap(segments: [.init(offset: 0, length: huge)], size: huge).isValid)
        // Pax 1.0: the map's lines may name any offsets; the data says how much is stored.
        let lines = Array("2\n0\n9223372036854775\n9223372036854775\n9223372036854775\n".utf8)
        let archive = Self.pax([("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "-2")])
            + Self.header("s", size: Self.octal(512, width: 12)) + Self.padded(lines) + Self.end
        #expect(try Self.readAll(archive)?.code == .corrupt)
    }

    @Test func aLongNameWhoseBase256SizeIsInt64MaxIsTooLarge() throws {
        let longName = Self.header("././@LongLink", typeflag: "L", size: Self.base256(.max))
        #expect(try Self.readAll(longName + Self.end)?.code == .tooLarge)
        // After other extended headers too, where the running total was once added to unchecked.
        let afterPax = Self.pax([("comment", "x")]) + longName + Self.end
        #expect(try Self.readAll(afterPax)?.code == .tooLarge)
        let longLink = Self.pax([("comment", "x")]) + Self.header("././@LongLink", typeflag: "K", size: Self.base256(.max)) + Self.end
        #expect(try Self.readAll(longLink)?.code == .tooLarge)
    }

    @Test func extremeNumbersReadOrFailCleanly() throws {
        // A regular entry of Int64.max bytes: its data is simply missing.
        #expect(try Self.readAll(Self.header("big", size: Self.base256(.max)) + Self.end)?.code == .truncated)
        #expect(try Self.readAll(Self.header("negative", size: Self.base256(-2)) + Self.end)?.code == .corrupt)
        #expect(try Self.readAll(Self.header("min", size: Self.base256(.min)) + Self.end)?.code == .corrupt)
        // Pax numbers at and past the edges.
        for (key, value) in [("size", "9223372036854775808"), ("size", "-1"), ("uid", "99999999999999999999"), ("mtime", "x")] {
            #expect(try Self.readAll(Self.pax([(key, value)]) + Self.header("f") + Self.end)?.code == .corrupt, "\(key)=\(value)")
        }
        #expect(PaxRecords.seconds(Array("-9223372036854775808.5".utf8)) == nil)
        #expect(PaxRecords.seconds(Array("-9223372036854775808.0".utf8)) == .min)
        #expect(PaxRecords.seconds(Array("-1.5".utf8)) == -2)
        let extremes = Self.pax([("uid", "-9223372036854775808"), ("gid", "9223372036854775807"), ("mtime", "-9223372036854775808")])
        #expect(try Self.readAll(extremes + Self.header("f") + Self.end) == nil)
    }

    @Test func writingEntriesWithExtremeNumbersDoesNotTrap() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let writer = try TarWriter(fileAt: fixture.path("extreme.tar"))
        #expect { try writer.append(TarEntry(path: "neg", kind: .characterDevice, uid: -1, devMajor: -1)) } throws: {
            ($0 as? ArchiveError)?.code == .invalidArgument
        }
        try writer.append(TarEntry(path: "dev", kind: .characterDevice, uid: .max, gid: .max, mtime: .min, devMajor: 1 << 40, devMinor: 1 << 50))
        try writer.finish()
        let reader = try TarReader(fileAt: fixture.path("extreme.tar"))
        let entry = try reader.next()
        #expect(entry?.uid == .max && entry?.devMajor == 1 << 40 && entry?.devMinor == 1 << 50 && entry?.mtime == .min)
    }

    /// Each file in `Regressions/` is an input the tar fuzz target once crashed on.
    @Test func fuzzRegressionsReadWithoutTrapping() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            _ = try Self.readAll(bytes)
        }
    }
}
