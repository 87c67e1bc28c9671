import Foundation
import Testing

@testable import Archive

@Suite struct TarReaderTests {
    static let longName = String(repeating: "n", count: 150)
    static let longDirectory = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 90)
    static let longTarget = String(repeating: "t", count: 200)

    /// A tree with every kind GNU tar stores from a plain directory: names over 100 and over 255
    /// bytes, a long symlink target, a hard link, a fifo and an empty file.
    static func makeTree(in fixture: Fixture) throws {
        try fixture.python("""
            import os
            os.makedirs("tree/\(longDirectory)")
            with open("tree/empty", "wb"): pass
            with open("tree/file", "wb") as f: f.write(b"contents\\n" * 100)
            with open("tree/\(longName)", "wb") as f: f.write(b"long name")
            with open("tree/\(longDirectory)/\(longName)", "wb") as f: f.write(b"very long name")
            os.symlink("file", "tree/link")
            os.symlink("\(longTarget)", "tree/longlink")
            os.link("tree/file", "tree/hard")
            os.mkfifo("tree/fifo")
            os.chmod("tree/file", 0o640)
            for p in ["tree/file", "tree/empty", "tree"]:
                os.utime(p, (1_600_000_000, 1_600_000_000))
            """)
    }

    @Test func readsAGNUFormatArchive() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.makeTree(in: fixture)
        try fixture.tar("--format=gnu", "--sort=name", "-cf", "gnu.tar", "tree")
        let byPath = Dictionary(uniqueKeysWithValues: try fixture.entries(of: "gnu.tar").map { ($0.entry.path, $0) })

        #expect(Set(byPath.keys) == [
            "tree", "tree/empty", "tree/file", "tree/\(Self.longName)", "tree/d" + Self.longDirectory.dropFirst(),
            "tree/" + String(repeating: "d", count: 90), "tree/\(Self.longDirectory)/\(Self.longName)",
            "tree/link", "tree/longlink", "tree/hard", "tree/fifo",
        ])
        let file = try #require(byPath["tree/file"])
        #expect(file.entry.kind == .file)
        #expect(file.entry.mode == 0o640)
        #expect(file.entry.size == 900)
        #expect(file.entry.mtime == 1_600_000_000)
        #expect(file.entry.uid == Int(getuid()))
        #expect(file.data == Array(String(repeating: "contents\n", count: 100).utf8))
        #expect(byPath["tree"]?.entry.kind == .directory)
        #expect(byPath["tree/empty"]?.entry.size == 0)
        #expect(byPath["tree/empty"]?.data == [])
        #expect(byPath["tree/\(Self.longName)"]?.data == Array("long name".utf8))
        #expect(byPath["tree/\(Self.longDirectory)/\(Self.longName)"]?.data == Array("very long name".utf8))
        #expect(byPath["tree/link"]?.entry.kind == .symlink)
        #expect(byPath["tree/link"]?.entry.linkName == "file")
        #expect(byPath["tree/longlink"]?.entry.linkName == Self.longTarget)
        #expect(byPath["tree/hard"]?.entry.kind == .hardlink)
        #expect(byPath["tree/hard"]?.entry.linkName == "tree/file")
        #expect(byPath["tree/hard"]?.entry.size == 0)
        #expect(byPath["tree/fifo"]?.entry.kind == .fifo)
    }

    @Test func paxFormatGivesTheSameEntriesAsGNUFormatPlusXattrs() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.makeTree(in: fixture)
        try fixture.tar("--format=gnu", "--sort=name", "-cf", "gnu.tar", "tree")
        let xattrsSupported = try fixture.python("""
            import os
            try:
                os.setxattr("tree/file", "user.test", b"v\\x00\\xff")
                print("yes", end="")
            except OSError:
                print("no", end="")
            """) == "yes"
        try fixture.tar("--format=pax", "--xattrs", "--sort=name", "-cf", "pax.tar", "tree")

        let gnu = try fixture.entries(of: "gnu.tar")
        let pax = try fixture.entries(of: "pax.tar")
        func withoutPax(_ entry: TarEntry) -> TarEntry {
            var entry = entry
            entry.xattrs = [:]
            entry.paxRecords = [:]
            return entry
        }
        #expect(pax.map { withoutPax($0.entry) } == gnu.map(\.entry))
        #expect(pax.map(\.data) == gnu.map(\.data))
        #expect(pax.allSatisfy { $0.entry.paxRecords["atime"] != nil })
        if xattrsSupported {
            #expect(pax.first { $0.entry.path == "tree/file" }?.entry.xattrs == ["user.test": [0x76, 0, 0xFF]])
        }
    }

    @Test(arguments: ["gnu", "oldgnu", "ustar", "pax", "v7"])
    func everyFormatGNUTarWritesReadsTheSame(format: String) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        // ustar splits the 200-byte path into prefix and name; v7 holds 99 bytes at most.
        let deep = format == "v7" ? "a/b/file" : String(repeating: "a", count: 95) + "/" + String(repeating: "b", count: 95) + "/file"
        try fixture.python("""
            import os
            os.makedirs("\(deep)".rsplit("/", 1)[0])
            with open("\(deep)", "wb") as f: f.write(b"deep")
            with open("top", "wb") as f: f.write(bytes(range(256)) * 5)
            os.symlink("top", "link")
            os.link("top", "hard")
            """)
        try fixture.tar("--format=\(format)", "--sort=name", "-cf", "out.tar", "top", "hard", "link", deep)
        let entries = try fixture.entries(of: "out.tar")
        #expect(entries.map(\.entry.path) == ["top", "hard", "link", deep])
        #expect(entries.map(\.entry.kind) == [.file, .hardlink, .symlink, .file])
        #expect(entries.map(\.entry.linkName) == ["", "top", "top", ""])
        #expect(entries.map(\.data) == [Array((0..<5).flatMap { _ in 0...255 }), [], [], Array("deep".utf8)])
    }

    @Test func readsPythonPaxArchivesWithGlobalHeadersDevicesAndBinaryXattrs() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let longName = String(repeating: "x/", count: 140) + "end"
        try fixture.python("""
            import io, tarfile
            cap = bytes([1, 0, 0, 2, 0, 0x20, 0, 0, 0xff]).decode("utf-8", "surrogateescape")
            with tarfile.open("py.tar", "w", format=tarfile.PAX_FORMAT, pax_headers={"comment": "global"}) as t:
                i = tarfile.TarInfo("./bin/ping")
                i.size, i.mode, i.uid, i.gid, i.uname, i.gname = 4, 0o4755, 3_000_000, 6, "u", "g"
                i.mtime = 1234567890.75
                i.pax_headers = {"SCHILY.xattr.security.capability": cap, "SCHILY.xattr.user.x": "y", "LIBARCHIVE.z": "kept"}
                t.addfile(i, io.BytesIO(b"ping"))
                for name, kind, major, minor in [("dev/tty", tarfile.CHRTYPE, 5, 0), ("dev/sda", tarfile.BLKTYPE, 8, 1)]:
                    i = tarfile.TarInfo(name); i.type, i.devmajor, i.devminor = kind, major, minor
                    t.addfile(i)
                i = tarfile.TarInfo("fifo"); i.type = tarfile.FIFOTYPE; t.addfile(i)
                i = tarfile.TarInfo("\(longName)"); i.size = 3; t.addfile(i, io.BytesIO(b"abc"))
                i = tarfile.TarInfo("hard"); i.type, i.linkname = tarfile.LNKTYPE, "\(longName)"; t.addfile(i)
            """)
        let entries = try fixture.entries(of: "py.tar")
        #expect(entries.map(\.entry.path) == ["bin/ping", "dev/tty", "dev/sda", "fifo", longName, "hard"])
        let ping = entries[0].entry
        #expect(ping.mode == 0o4755)
        #expect(ping.uid == 3_000_000)
        #expect(ping.gid == 6)
        #expect(ping.uname == "u")
        #expect(ping.gname == "g")
        #expect(ping.mtime == 1_234_567_890)
        #expect(ping.xattrs == ["security.capability": [1, 0, 0, 2, 0, 0x20, 0, 0, 0xFF], "user.x": Array("y".utf8)])
        #expect(ping.paxRecords["LIBARCHIVE.z"] == "kept")
        #expect(ping.paxRecords["comment"] == nil)
        #expect(entries[0].data == Array("ping".utf8))
        #expect(entries[1].entry.kind == .characterDevice)
        #expect(entries[2].entry.kind == .blockDevice)
        #expect([Int]([entries[1].entry.devMajor, entries[1].entry.devMinor, entries[2].entry.devMajor, entries[2].entry.devMinor]) == [5, 0, 8, 1])
        #expect(entries[3].entry.kind == .fifo)
        #expect(entries[4].data == Array("abc".utf8))
        #expect(entries[5].entry.linkName == longName)
    }

    @Test func readsBase256Numbers() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.python("""
            import io, tarfile
            with tarfile.open("b256.tar", "w", format=tarfile.GNU_FORMAT) as t:
                i = tarfile.TarInfo("old"); i.uid, i.gid, i.mtime, i.size = 10_000_000, 3_000_000, -1000, 1
                t.addfile(i, io.BytesIO(b"o"))
                i = tarfile.TarInfo("future"); i.mtime = 1 << 40; t.addfile(i)
            """)
        let raw = try fixture.read("b256.tar")
        #expect(raw[108] & 0x80 != 0) // the uid field really is base-256
        let entries = try fixture.entries(of: "b256.tar").map(\.entry)
        #expect(entries.map(\.uid) == [10_000_000, 0])
        #expect(entries.map(\.gid) == [3_000_000, 0])
        #expect(entries.map(\.mtime) == [-1000, 1 << 40])
        #expect(TarHeader.number([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]) == -2)
        #expect(TarHeader.number([0x80, 0, 0, 0, 0, 0, 0x01, 0x00]) == 256)
        #expect(TarHeader.number(Array("  0644 \0".utf8)[...]) == 0o644)
        #expect(TarHeader.number(Array("\0\0\0\0\0\0\0\0".utf8)[...]) == 0)
        #expect(TarHeader.number(Array("0009\0".utf8)[...]) == nil)
    }

    /// A ~20 MB mostly sparse file between two small ones.
    static func makeLargeArchive(in fixture: Fixture) throws -> Int {
        let size = 20 * 1024 * 1024 + 123
        try fixture.python("""
            with open("big", "wb") as f:
                f.truncate(\(size))
                for offset in [0, 5_000_000, \(size) - 4]:
                    f.seek(offset); f.write(b"mark")
            with open("before", "wb") as f: f.write(b"before")
            with open("after", "wb") as f: f.write(b"after")
            """)
        try fixture.tar("--format=gnu", "-cf", "large.tar", "before", "big", "after")
        return size
    }

    @Test func streamsALargeFileInBoundedChunks() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let size = try Self.makeLargeArchive(in: fixture)
        let reader = try TarReader(fileAt: fixture.path("large.tar"))
        #expect(try reader.next()?.path == "before")
        #expect(try reader.next()?.size == Int64(size))
        var chunks = 0
        var largest = 0
        var total = 0
        var marks: [Int] = []
        try reader.forEachDataChunk { chunk in
            for index in chunk.indices where chunk[index] == UInt8(ascii: "m") {
                marks.append(total + index)
            }
            chunks += 1
            largest = max(largest, chunk.count)
            total += chunk.count
        }
        #expect(total == size)
        #expect(largest <= BufferedInput.defaultCapacity)
        #expect(chunks >= size / BufferedInput.defaultCapacity)
        #expect(marks == [0, 5_000_000, size - 4])
        #expect(try reader.readData(maxBytes: 0) == [])
        #expect(try reader.next()?.path == "after")
        #expect(try reader.readData(maxBytes: 100) == Array("after".utf8))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func copiesDataToFilesAndHandles() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try Self.makeLargeArchive(in: fixture)
        let reader = try TarReader(fileAt: fixture.path("large.tar"))
        _ = try reader.next()
        _ = try reader.next()
        try reader.copyData(toFileAt: fixture.path("copy"), permissions: 0o600)
        #expect(FileManager.default.contentsEqual(atPath: fixture.path("big"), andPath: fixture.path("copy")))
        let permissions = try FileManager.default.attributesOfItem(atPath: fixture.path("copy"))[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        _ = try reader.next()

        _ = FileManager.default.createFile(atPath: fixture.path("handle"), contents: Array("x".utf8).withUnsafeBytes { Data($0) })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.path("handle")))
        try handle.seekToEnd()
        try reader.copyData(to: handle)
        try handle.close()
        #expect(try fixture.read("handle") == Array("xafter".utf8))

        // An existing symlink at the destination is not followed.
        try FileManager.default.createSymbolicLink(atPath: fixture.path("trap"), withDestinationPath: fixture.path("big"))
        let again = try TarReader(fileAt: fixture.path("large.tar"))
        _ = try again.next()
        #expect(throws: ArchiveError.self) { try again.copyData(toFileAt: fixture.path("trap")) }
    }

    @Test func skipsUnreadAndHalfReadDataOverAPipe() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try Self.makeLargeArchive(in: fixture)
        try withPipe(from: fixture.path("large.tar")) { (reader: TarReader) throws in
            #expect(try reader.next()?.path == "before")
            #expect(try reader.next()?.path == "big")
            struct Stop: Error {}
            #expect(throws: Stop.self) { try reader.forEachDataChunk { _ in throw Stop() } }
            #expect(try reader.next()?.path == "after")
            #expect(try reader.readData(maxBytes: 5) == Array("after".utf8))
            #expect(try reader.next() == nil)
        }
    }

    @Test func readDataRefusesMoreThanTheLimitWithoutConsuming() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let writer = try TarWriter(fileAt: fixture.path("out.tar"))
        try writer.addFile(path: "manifest.json", contents: patternBytes(count: 1000))
        try writer.finish()
        let reader = try TarReader(fileAt: fixture.path("out.tar"))
        _ = try reader.next()
        #expect {
            try reader.readData(maxBytes: 999)
        } throws: { error in
            (error as? ArchiveError)?.code == .tooLarge
        }
        #expect(try reader.readData(maxBytes: 1000) == patternBytes(count: 1000))
    }

    /// Two files: `a` (1000 bytes: data at 512..<1512, padding to 1536) and `b` (header at 1536,
    /// 3 bytes of data at 2048, padding to 2560), then the end marker.
    static func writeTwoFiles(in fixture: Fixture) throws -> [UInt8] {
        let writer = try TarWriter(fileAt: fixture.path("two.tar"))
        try writer.addFile(path: "a", contents: patternBytes(count: 1000))
        try writer.addFile(path: "b", contents: Array("bee".utf8))
        try writer.finish()
        return try fixture.read("two.tar")
    }

    @Test(arguments: [
        (100, "header of a"), (512 + 600, "data of a"), (1520, "padding of a"), (1536 + 100, "header of b"),
        (2050, "data of b"), (2100, "padding of b"),
    ])
    func truncatedArchivesThrowTruncated(length: Int, label: String) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let bytes = try Self.writeTwoFiles(in: fixture)
        try fixture.write("cut.tar", Array(bytes.prefix(length)))

        // Read entirely, skipped with lseek, and skipped by reading from a pipe.
        func readAll(_ reader: TarReader, readingData: Bool) throws {
            while try reader.next() != nil {
                if readingData { _ = try reader.readData(maxBytes: 1 << 20) }
            }
        }
        for readingData in [true, false] {
            let reader = try TarReader(fileAt: fixture.path("cut.tar"))
            #expect("\(label), reading data: \(readingData)") {
                try readAll(reader, readingData: readingData)
            } throws: { ($0 as? ArchiveError)?.code == .truncated }
            // The error sticks.
            #expect("\(label): again") { try reader.next() } throws: { ($0 as? ArchiveError)?.code == .truncated }
        }
        try withPipe(from: fixture.path("cut.tar")) { (reader: TarReader) throws in
            #expect("\(label), over a pipe") {
                try readAll(reader, readingData: false)
            } throws: { ($0 as? ArchiveError)?.code == .truncated }
        }
    }

    @Test func truncatedExtendedHeadersThrowTruncated() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let writer = try TarWriter(fileAt: fixture.path("pax.tar"))
        try writer.addFile(path: String(repeating: "p", count: 300), contents: [1])
        try writer.finish()
        let bytes = try fixture.read("pax.tar")
        for length in [600, 1024] {
            try fixture.write("cut.tar", Array(bytes.prefix(length)))
            let reader = try TarReader(fileAt: fixture.path("cut.tar"))
            #expect { try reader.next() } throws: { ($0 as? ArchiveError)?.code == .truncated }
        }
    }

    @Test func extendedHeadersOverTheLimitThrowTooLarge() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let writer = try TarWriter(fileAt: fixture.path("big-pax.tar"))
        try writer.append(TarEntry(path: "ok", kind: .file, xattrs: ["user.a": patternBytes(count: 1000)]))
        try writer.append(TarEntry(path: "f", kind: .file, xattrs: ["user.a": patternBytes(count: Int(TarReader.maxExtendedHeaderSize))]))
        try writer.finish()
        let reader = try TarReader(fileAt: fixture.path("big-pax.tar"))
        #expect(try reader.next()?.xattrs["user.a"] == patternBytes(count: 1000))
        #expect { try reader.next() } throws: { ($0 as? ArchiveError)?.code == .tooLarge }
    }

    @Test func badChecksumsThrowCorrupt() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        var bytes = try Self.writeTwoFiles(in: fixture)
        bytes[1536 + 10] ^= 0x01 // in b's name
        try fixture.write("bad.tar", bytes)
        let reader = try TarReader(fileAt: fixture.path("bad.tar"))
        #expect(try reader.next()?.path == "a")
        #expect { try reader.next() } throws: { error in
            let error = error as? ArchiveError
            return error?.code == .corrupt && error?.message.contains("checksum") == true
        }
        #expect { try reader.next() } throws: { ($0 as? ArchiveError)?.code == .corrupt }
    }

    @Test func aLoneZeroBlockFollowedByAHeaderIsCorrupt() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let bytes = try Self.writeTwoFiles(in: fixture)
        try fixture.write("lone.tar", Array(bytes[..<1536]) + [UInt8](repeating: 0, count: 512) + Array(bytes[1536...]))
        let reader = try TarReader(fileAt: fixture.path("lone.tar"))
        #expect(try reader.next()?.path == "a")
        #expect { try reader.next() } throws: { ($0 as? ArchiveError)?.code == .corrupt }
    }

    @Test(arguments: [0, 512, 1024])
    func endOfFileAtAHeaderBoundaryEndsTheArchive(zeroBlocksKept: Int) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let bytes = try Self.writeTwoFiles(in: fixture)
        try fixture.write("short.tar", Array(bytes.dropLast(1024 - zeroBlocksKept)))
        let entries = try fixture.entries(of: "short.tar")
        #expect(entries.map(\.entry.path) == ["a", "b"])
        #expect(entries.map(\.data) == [patternBytes(count: 1000), Array("bee".utf8)])
    }

    @Test func stopsAtTheEndMarkerAndAnEmptyFileIsAnEmptyArchive() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let bytes = try Self.writeTwoFiles(in: fixture)
        try fixture.write("trailing.tar", bytes + Array("not part of the archive".utf8))
        #expect(try fixture.entries(of: "trailing.tar").map(\.entry.path) == ["a", "b"])
        try fixture.write("empty.tar", [])
        #expect(try fixture.entries(of: "empty.tar").isEmpty)
    }

    @Test func normalizesMemberPaths() throws {
        #expect(TarPath.memberPath("./a/b/") == "a/b")
        #expect(TarPath.memberPath("./") == ".")
        #expect(TarPath.memberPath(".//./x") == "x")
        #expect(TarPath.memberPath("/abs/") == "/abs")
        #expect(TarPath.memberPath("../up") == "../up")
    }

    @Test(arguments: [0, 1, 7, 8, 9, 90, 95, 96, 97, 98, 99, 100, 995, 996, 997, 1000])
    func paxRecordLengthsCountThemselves(valueLength: Int) throws {
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: valueLength)
        let data = PaxRecords.encode([("k", value), ("SCHILY.xattr.user.a", [0, 10, 255])])
        let records = try PaxRecords.parse(data)
        #expect(records.map(\.key) == ["k", "SCHILY.xattr.user.a"])
        #expect(records.map(\.value) == [value, [0, 10, 255]])
        #expect(PaxRecords.seconds(Array("1234.75".utf8)) == 1234)
        #expect(PaxRecords.seconds(Array("-1.5".utf8)) == -2)
        #expect(PaxRecords.seconds(Array("-3".utf8)) == -3)
        #expect(PaxRecords.seconds(Array("x".utf8)) == nil)
        #expect(throws: ArchiveError.self) { try PaxRecords.parse(Array("5 k=v\n".utf8)) }
    }

    /// Runs `body` with a reader over a pipe that `cat` fills from `path`, so nothing can be skipped
    /// with `lseek`.
    func withPipe(from path: String, _ body: (TarReader) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cat")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        defer {
            try? pipe.fileHandleForReading.close()
            process.waitUntilExit()
        }
        try body(try TarReader(handle: pipe.fileHandleForReading))
    }
}

@Suite struct TarReaderDataOffsetTests {
    @Test func dataOffsetsLetAnotherReaderReadEntriesInPlace() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offsets-\(UUID().uuidString).tar").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TarWriter(fileAt: path)
        try writer.addFile(path: "a.txt", contents: Array("first".utf8))
        try writer.addDirectory(path: "dir")
        try writer.addFile(path: "dir/" + String(repeating: "long", count: 40), contents: Array("second".utf8))
        try writer.finish()
        let reader = try TarReader(fileAt: path)
        defer { reader.close() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var found: [String] = []
        while let entry = try reader.next() {
            guard entry.kind == .file, let offset = reader.dataOffset else { continue }
            let start = Int(offset)
            found.append(String(decoding: data[start..<(start + Int(entry.size))], as: UTF8.self))
        }
        #expect(found == ["first", "second"])
    }
}
