import Foundation

/// The compressions a tarball may come in (as `docker import` accepts them), told by their magic
/// bytes, and their undoing with the system's own tools (`gzip`, `bzip2`, `xz`, `zstd`).
public enum Compression: String, Sendable {
    case gzip, bzip2, xz, zstd

    /// The compression of the file at `path`; `nil` for an uncompressed (or unreadable) file.
    public static func detect(fileAt path: String) -> Compression? {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 6) else { return nil }
        try? handle.close()
        return detect(leading: Array(head))
    }

    /// The compression whose magic bytes `bytes` begin with; `nil` for none.
    public static func detect(leading bytes: [UInt8]) -> Compression? {
        if bytes.starts(with: [0x1f, 0x8b]) { return .gzip }
        if bytes.starts(with: [0x42, 0x5a, 0x68]) { return .bzip2 }
        if bytes.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return .xz }
        if bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        return nil
    }

    /// Writes the decompressed content of `source` to `destination` (created or truncated).
    public func decompress(fileAt source: String, to destination: String) throws {
        let tool = "/usr/bin/" + rawValue
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw ArchiveError.invalidArgument("\(rawValue)-compressed tarballs need \(tool), which is not installed")
        }
        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: destination)
        else { throw ArchiveError(.io, "cannot create \(destination)") }
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-dc", source]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ArchiveError.corrupt("the \(rawValue)-compressed tarball is damaged (\(rawValue) exited with \(process.terminationStatus))")
        }
    }
}
