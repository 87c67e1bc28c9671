import Archive
import Foundation

/// Tells, from its first bytes, whether a file is an archive `ADD` unpacks (and a `remote` context is
/// a tarball): compressed with gzip, bzip2, xz or zstd, or a plain tar (`ustar` in its first header).
enum ArchiveSniffer {
    /// How many leading bytes the decision needs.
    static let headSize = 512

    static func isArchive(_ head: [UInt8]) -> Bool {
        Compression.detect(leading: head) != nil || isTar(head)
    }

    static func isTar(_ head: [UInt8]) -> Bool {
        head.count >= 262 && head[257..<262].elementsEqual(Array("ustar".utf8))
    }

    static func isArchive(fileAt path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: headSize) else { return false }
        try? handle.close()
        return isArchive(Array(head))
    }
}
