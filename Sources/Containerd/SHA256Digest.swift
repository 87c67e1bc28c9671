import Crypto
import Foundation

/// SHA-256 digests in the OCI form `sha256:<64 lowercase hex>`, the only form containerd's content
/// store computes.
enum SHA256Digest {
    static let prefix = "sha256:"

    /// Whether `digest` is `sha256:` followed by 64 lowercase hex digits.
    static func isValid(_ digest: String) -> Bool {
        guard digest.hasPrefix(prefix) else { return false }
        let hex = digest.utf8.dropFirst(prefix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// The digest of some bytes.
    static func of(_ bytes: some DataProtocol) -> String {
        string(SHA256.hash(data: bytes))
    }

    /// The digest of a finished hash.
    static func string(_ digest: SHA256.Digest) -> String {
        prefix + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The digest of a file, read in 1 MiB chunks off the caller's actor.
    @concurrent
    static func ofFile(atPath path: String) async throws -> String {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var hasher = SHA256()
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            try Task.checkCancellation()
            await Task.yield()
        }
        return string(hasher.finalize())
    }
}
