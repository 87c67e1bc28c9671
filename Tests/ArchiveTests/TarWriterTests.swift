import Foundation
import Testing

@testable import Archive

@Suite struct TarWriterTests {
    static let longDirectory = String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60)
    static let mediumPath = longDirectory + "/medium.txt" // > 100 bytes: ustar prefix split
    static let longPath = String(repeating: "p/", count: 100) + String(repeating: "n", count: 80) // > 255: pax
    static let longTarget = String(repeating: "t", count: 150)

    /// Writes the same mixed tree every time.
    static func writeSample(to path: String, streamingFrom source: String) throws {
        let writer = try TarWriter(fileAt: path)
        try writer.addDirectory(path: "dir", mtime: 1_700_000_000)
        try writer.addFile(path: "dir/empty", contents: [])
        try writer.addFile(path: "dir/hello.txt", mode: 0o600, mtime: 1_700_000_001, contents: Array("hello\n".utf8))
        try writer.addFile(path: "dir/pattern.bin", mode: 0o755, size: 100_000, fromFileAt: source)
        try writer.addDirectory(path: longDirectory)
        try writer.addFile(path: mediumPath, contents: Array("medium".utf8))
        try writer.addFile(path: longPath, contents: Array("long".utf8))
        try writer.addFile(path: "données/été.txt", contents: Array("unicode".utf8))
        try writer.addSymlink(path: "dir/link", target: "hello.txt")
        try writer.addSymlink(path: "dir/longlink", target: longTarget)
        try writer.addHardlink(path: "dir/hard", target: "dir/hello.txt")
        try writer.finish()
    }

    @Test func gnuTarListsAndExtractsWhatTheWriterWrote() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let source = try fixture.write("source.bin", patternBytes(count: 100_000))
        try Self.writeSample(to: fixture.path("out.tar"), streamingFrom: source)

        let names = try fixture.tar("-tf", "out.tar").split(separator: "\n").map(String.init)
        #expect(names == [
            "dir/", "dir/empty", "dir/hello.txt", "dir/pattern.bin", Self.longDirectory + "/", Self.mediumPath,
            Self.longPath, "données/été.txt", "dir/link", "dir/longlink", "dir/hard",
        ])
        let listing = try fixture.tar("--numeric-owner", "-tvf", "out.tar").split(separator: "\n")
        #expect(listing.count == 11)
        #expect(listing.allSatisfy { $0.contains(" 0/0 ") })
        #expect(listing[2].hasPrefix("-rw------- "))
        #expect(listing[3].hasPrefix("-rwxr-xr-x "))
        #expect(listing[9].hasSuffix("dir/longlink -> " + Self.longTarget))
        #expect(listing[10].hasSuffix("dir/hard link to dir/hello.txt"))

        try FileManager.default.createDirectory(atPath: fixture.path("x"), withIntermediateDirectories: true)
        try fixture.tar("-xf", "out.tar", "-C", "x")
        #expect(try fixture.read("x/dir/pattern.bin") == patternBytes(count: 100_000))
        #expect(try fixture.read("x/dir/hard") == Array("hello\n".utf8))
        #expect(try fixture.read("x/" + Self.longPath) == Array("long".utf8))
        #expect(try fixture.read("x/données/été.txt") == Array("unicode".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.path("x/dir/longlink")) == Self.longTarget)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path("x/dir/hello.txt"))
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_700_000_001)
    }

    @Test func readerReadsBackEverythingTheWriterWrote() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let source = try fixture.write("source.bin", patternBytes(count: 100_000))
        try Self.writeSample(to: fixture.path("out.tar"), streamingFrom: source)

        let entries = try fixture.entries(of: "out.tar")
        #expect(entries.map(\.entry.path) == [
            "dir", "dir/empty", "dir/hello.txt", "dir/pattern.bin", Self.longDirectory, Self.mediumPath,
            Self.longPath, "données/été.txt", "dir/link", "dir/longlink", "dir/hard",
        ])
        #expect(entries.map(\.entry.kind) == [
            .directory, .file, .file, .file, .directory, .file, .file, .file, .symlink, .symlink, .hardlink,
        ])
        #expect(entries[0].entry == TarEntry(path: "dir", kind: .directory, mode: 0o755, mtime: 1_700_000_000))
        #expect(entries[2].entry == TarEntry(path: "dir/hello.txt", kind: .file, mode: 0o600, size: 6, mtime: 1_700_000_001))
        #expect(entries[2].data == Array("hello\n".utf8))
        #expect(entries[3].data == patternBytes(count: 100_000))
        #expect(entries[6].data == Array("long".utf8))
        #expect(entries[9].entry.linkName == Self.longTarget)
        #expect(entries[10].entry.linkName == "dir/hello.txt")
        #expect(entries.allSatisfy { $0.entry.paxRecords.isEmpty && $0.entry.xattrs.isEmpty })
    }

    @Test func fullEntriesRoundTrip() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let written = [
            TarEntry(
                path: "bin/ping", kind: .file, mode: 0o4755, uid: 1000, gid: 100_000_000, uname: "alice",
                gname: String(repeating: "g", count: 40), size: 3, mtime: -86_400,
                xattrs: ["security.capability": [1, 0, 0, 2, 0, 0x20, 0, 0, 0xFF], "user.note": Array("été".utf8)],
                paxRecords: ["LIBARCHIVE.creationtime": "1700000000", "comment": "kept"]
            ),
            TarEntry(path: "dev/null", kind: .characterDevice, mode: 0o666, devMajor: 1, devMinor: 3),
            TarEntry(path: "dev/big", kind: .blockDevice, mode: 0o660, devMajor: 4_000_000, devMinor: 0o7777777),
            TarEntry(path: "run/fifo", kind: .fifo, mode: 0o600),
            TarEntry(path: "vendor", kind: .other(UInt8(ascii: "V")), size: 2),
        ]
        let writer = try TarWriter(fileAt: fixture.path("out.tar"))
        try writer.append(written[0], contents: [1, 2, 3])
        try writer.append(written[1])
        try writer.append(written[2])
        try writer.append(written[3])
        try writer.append(written[4], contents: [9, 9])
        try writer.finish()

        let read = try fixture.entries(of: "out.tar")
        #expect(read.map(\.entry) == written)
        #expect(read.map(\.data) == [[1, 2, 3], [], [], [], [9, 9]])

        // Python's tarfile agrees on the pax records, including binary xattr values.
        let output = try fixture.python("""
            import tarfile
            with tarfile.open("out.tar") as t:
                m = t.getmember("bin/ping")
                cap = m.pax_headers["SCHILY.xattr.security.capability"].encode("utf-8", "surrogateescape")
                print(m.uid, m.gid, m.gname == "g" * 40, int(m.mtime), oct(m.mode), list(cap))
                d = t.getmember("dev/big")
                print(d.devmajor, d.devminor)
            """)
        #expect(output == "1000 100000000 True -86400 0o4755 [1, 0, 0, 2, 0, 32, 0, 0, 255]\n4000000 2097151\n")
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let source = try fixture.write("source.bin", patternBytes(count: 100_000))
        try Self.writeSample(to: fixture.path("one.tar"), streamingFrom: source)
        try Self.writeSample(to: fixture.path("two.tar"), streamingFrom: source)
        let one = try fixture.read("one.tar")
        #expect(one == (try fixture.read("two.tar")))
        #expect(one.count % 512 == 0)
        #expect(one.suffix(1024).allSatisfy { $0 == 0 })

        // Xattrs and pax records are written in key order, whatever the dictionary order.
        let entry = TarEntry(path: "f", kind: .file, xattrs: ["b": [1], "a": [2], "c": [3]], paxRecords: ["z": "1", "y": "2"])
        let header = try TarHeader.encode(entry)
        #expect(header == (try TarHeader.encode(entry)))
        let records = try PaxRecords.parse(Array(header[512..<1024]))
        #expect(records.map(\.key) == ["SCHILY.xattr.a", "SCHILY.xattr.b", "SCHILY.xattr.c", "y", "z"])
    }

    @Test func sizesOfEightGiBAndMoreGoInAPaxRecord() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let size: Int64 = 8 << 30
        let small = try TarHeader.encode(TarEntry(path: "f", kind: .file, size: size - 1))
        #expect(small.count == 512)
        #expect(Array(small[124..<136]) == Array("77777777777\0".utf8))

        let blocks = try TarHeader.encode(TarEntry(path: "f", kind: .file, size: size))
        #expect(blocks.count == 1536)
        #expect(blocks[156] == UInt8(ascii: "x"))
        #expect(try PaxRecords.parse(Array(blocks[512..<1024])).map(\.key) == ["size"])
        try fixture.write("big.tar", blocks + patternBytes(count: 4096))
        let reader = try TarReader(fileAt: fixture.path("big.tar"))
        #expect(try reader.next() == TarEntry(path: "f", kind: .file, size: size))
        #expect {
            try reader.next()
        } throws: { error in
            (error as? ArchiveError)?.code == .truncated
        }
    }

    @Test func streamsFromAHandle() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let bytes = patternBytes(count: 700_000)
        let source = try fixture.write("source.bin", bytes)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: source))
        defer { try? handle.close() }
        _ = FileManager.default.createFile(atPath: fixture.path("out.tar"), contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.path("out.tar")))
        defer { try? output.close() }

        let writer = TarWriter(handle: output)
        try writer.addFile(path: "part", size: 300_000, from: handle)
        try writer.addFile(path: "rest", size: 400_000, from: handle)
        try writer.finish()

        let entries = try fixture.entries(of: "out.tar")
        #expect(entries.map(\.entry.path) == ["part", "rest"])
        #expect(entries.map(\.data) == [Array(bytes[..<300_000]), Array(bytes[300_000...])])
    }

    @Test func aSourceShorterThanItsSizeBreaksTheArchive() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let source = try fixture.write("source.bin", patternBytes(count: 1000))
        let writer = try TarWriter(fileAt: fixture.path("out.tar"))
        try writer.addFile(path: "whole", fromFileAt: source)
        #expect {
            try writer.addFile(path: "short", size: 1001, fromFileAt: source)
        } throws: { error in
            (error as? ArchiveError)?.code == .invalidArgument
        }
        // The archive is now incomplete: every later call fails the same way.
        #expect(throws: ArchiveError.self) { try writer.addDirectory(path: "d") }
        #expect(throws: ArchiveError.self) { try writer.finish() }
    }

    @Test func rejectsEntriesItCannotWrite() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let writer = try TarWriter(fileAt: fixture.path("out.tar"))
        let invalid: [TarEntry] = [
            TarEntry(path: "", kind: .file),
            TarEntry(path: "a\0b", kind: .file),
            TarEntry(path: "f", kind: .file, uid: -1),
            TarEntry(path: "f", kind: .file, size: 5),
            TarEntry(path: "f", kind: .other(UInt8(ascii: "x"))),
            TarEntry(path: "f", kind: .file, paxRecords: ["a=b": "c"]),
        ]
        for entry in invalid {
            #expect(throws: ArchiveError.self) { try writer.append(entry) }
        }
        #expect(throws: ArchiveError.self) { try writer.append(TarEntry(path: "d", kind: .directory), contents: [1]) }
        // Rejected entries leave nothing behind: the archive is still usable.
        try writer.addFile(path: "ok", contents: [1])
        try writer.finish()
        try writer.finish()
        #expect(throws: ArchiveError.self) { try writer.addFile(path: "late", contents: []) }
        #expect(try fixture.entries(of: "out.tar").map(\.entry.path) == ["ok"])
    }
}
