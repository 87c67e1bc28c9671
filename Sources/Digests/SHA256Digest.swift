import Crypto
import Foundation

/// Content digests in the OCI form `sha256:<64 lower-case hex digits>`, the only algorithm berthd
/// computes and verifies: for containerd's content store, registries and image IDs alike.
public enum SHA256Digest {
    public static let prefix = "sha256:"

    /// Whether `digest` is `sha256:` followed by 64 lower-case hex digits.
    public static func isValid(_ digest: String) -> Bool {
        guard digest.hasPrefix(prefix) else { return false }
        let hex = digest.utf8.dropFirst(prefix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The digest of some bytes.
    public static func of(_ bytes: some DataProtocol) -> String {
        string(SHA256.hash(data: bytes))
    }

    /// The `sha256:…` form of a finished hash.
    public static func string(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return prefix + String(decoding: hex, as: UTF8.self)
    }

    /// The digest of a file, read in 128 KiB chunks off the caller's actor; cancellable between chunks.
    @concurrent
    public static func ofFile(atPath path: String) async throws -> String {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var hasher = SHA256()
        while try hashNextChunk(of: file, into: &hasher) {
            try Task.checkCancellation()
            await Task.yield()
        }
        return string(hasher.finalize())
    }

    /// The digest of a file, read on the calling thread: for work already on a blocking thread pool,
    /// where a long file must not hold an event loop.
    public static func ofFileBlocking(atPath path: String) throws -> String {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var hasher = SHA256()
        while try hashNextChunk(of: file, into: &hasher) {}
        return string(hasher.finalize())
    }

    /// Hashes the next 128 KiB of `file`; false at its end.
    private static func hashNextChunk(of file: FileHandle, into hasher: inout SHA256) throws -> Bool {
        guard let chunk = try file.read(upToCount: 1 << 17), !chunk.isEmpty else { return false }
        hasher.update(data: chunk)
        return true
    }

    /// The hex part of a digest.
    public static func hex(_ digest: String) -> String {
        digest.hasPrefix(prefix) ? String(digest.dropFirst(prefix.count)) : digest
    }

    /// The chain IDs of a stack of layers: the first is its diff ID, each next one is
    /// `sha256(parent + " " + diffID)`.
    public static func chainIDs(_ diffIDs: [String]) -> [String] {
        var chain: [String] = []
        for diffID in diffIDs {
            chain.append(chain.last.map { of(Data("\($0) \(diffID)".utf8)) } ?? diffID)
        }
        return chain
    }
}
