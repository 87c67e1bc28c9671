import Crypto
import Foundation

/// Content digests as OCI writes them: `sha256:<64 lower-case hex digits>`.
enum Digest {
    static func isValid(_ digest: String) -> Bool {
        digest.wholeMatch(of: #/sha256:[a-f0-9]{64}/#) != nil
    }

    static func sha256(_ data: some DataProtocol) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a file, read in 1 MiB chunks.
    static func sha256(ofFileAt path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The hex part of a digest.
    static func hex(_ digest: String) -> String {
        digest.hasPrefix("sha256:") ? String(digest.dropFirst("sha256:".count)) : digest
    }

    /// The chain IDs of a stack of layers: the first is its diff ID, each next one is
    /// `sha256(parent + " " + diffID)`.
    static func chainIDs(_ diffIDs: [String]) -> [String] {
        var chain: [String] = []
        for diffID in diffIDs {
            chain.append(chain.last.map { sha256(Data("\($0) \(diffID)".utf8)) } ?? diffID)
        }
        return chain
    }
}
