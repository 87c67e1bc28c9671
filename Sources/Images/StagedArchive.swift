import Archive
import Foundation
import Messages

/// An image tarball unpacked into a private staging directory, so its parts can be read in any order
/// and streamed into containerd one by one. Entries that would escape the directory are refused;
/// symlinks between entries (docker-archive shares layers this way) are followed inside the archive.
struct StagedArchive: Sendable {
    let directory: String
    private var links: [String: String] = [:]

    /// Unpacks the regular files and links of the tarball at `path` under `stagingRoot`.
    init(unpacking path: String, under stagingRoot: String) throws {
        directory = stagingRoot + "/load-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            let reader = try TarReader(fileAt: path)
            while let entry = try reader.next() {
                let name = try TarPath.safeRelative(entry.path)
                switch entry.kind {
                case .file:
                    let target = directory + "/" + name
                    try FileManager.default.createDirectory(
                        atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try reader.copyData(toFileAt: target)
                case .symlink, .hardlink:
                    let base = entry.kind == .symlink ? (name as NSString).deletingLastPathComponent : ""
                    let joined = base.isEmpty ? entry.linkName : base + "/" + entry.linkName
                    links[name] = try TarPath.safeRelative(joined)
                default:
                    continue
                }
            }
        } catch let error as ArchiveError {
            remove()
            throw EngineError.invalidArgument("invalid image archive: \(error.message)")
        } catch {
            remove()
            throw error
        }
    }

    /// The staged file for an archive path, following links inside the archive.
    func file(_ archivePath: String) throws(EngineError) -> String {
        guard var name = try? TarPath.safeRelative(archivePath) else {
            throw .invalidArgument("invalid image archive: unsafe path \(archivePath)")
        }
        for _ in 0..<16 {
            guard let next = links[name] else { break }
            name = next
        }
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw .invalidArgument("invalid image archive: \(archivePath) is missing")
        }
        return path
    }

    /// Reads a small staged file (a manifest or a configuration).
    func read(_ archivePath: String) throws -> Data {
        let path = try file(archivePath)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= 16 << 20 else { throw EngineError.invalidArgument("invalid image archive: \(archivePath) is too large") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func exists(_ archivePath: String) -> Bool { (try? file(archivePath)) != nil }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
