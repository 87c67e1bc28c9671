import Foundation
import Archive

/// A temporary directory for one test, with helpers to build fixture archives with GNU tar and
/// python3's tarfile module. Call `remove()` when done (`defer { fixture.remove() }`).
struct Fixture {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("archive-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func path(_ name: String) -> String {
        directory + "/" + name
    }

    /// Creates a file (and its parent directories) with `contents`.
    @discardableResult
    func write(_ name: String, _ contents: [UInt8]) throws -> String {
        let url = URL(fileURLWithPath: path(name))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents).write(to: url)
        return url.path
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// Runs GNU tar in the fixture directory.
    @discardableResult
    func tar(_ arguments: String...) throws -> String {
        try run("/usr/bin/env", ["tar"] + arguments)
    }

    /// Runs a python3 script in the fixture directory.
    @discardableResult
    func python(_ script: String) throws -> String {
        let file = try write("script-\(UUID().uuidString).py", Array(script.utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try run("/usr/bin/env", ["python3", file])
    }

    /// Runs a program in the fixture directory; returns its standard output, throws on failure.
    @discardableResult
    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Names are printed as UTF-8 rather than escaped.
        process.environment = ProcessInfo.processInfo.environment.merging(["LC_ALL": "C.UTF-8"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        let errorPath = path("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? errorHandle.close()
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        process.standardError = errorHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw FixtureError(message: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errors)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Cuts the file to `length` bytes.
    func truncate(_ name: String, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path(name)))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(length))
    }

    /// Every entry of an archive with the data of regular files (which must be small).
    func entries(of name: String) throws -> [(entry: TarEntry, data: [UInt8])] {
        let reader = try TarReader(fileAt: path(name))
        var result: [(entry: TarEntry, data: [UInt8])] = []
        while let entry = try reader.next() {
            result.append((entry, try reader.readData(maxBytes: 1 << 20)))
        }
        return result
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Deterministic pseudo-random bytes, so fixtures have data that compresses badly and differs by
/// offset.
func patternBytes(count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}
