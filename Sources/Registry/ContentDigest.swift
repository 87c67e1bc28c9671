import Crypto

/// Content digests as registries write them: `sha256:<64 lower-case hex digits>`, the only algorithm
/// this client verifies.
enum ContentDigest {
    static let prefix = "sha256:"

    /// Whether `digest` is a well-formed sha256 digest.
    static func isValid(_ digest: String) -> Bool {
        guard digest.hasPrefix(prefix) else { return false }
        let hex = digest.utf8.dropFirst(prefix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Throws `.invalidDigest` unless `digest` is a well-formed sha256 digest.
    static func validate(_ digest: String) throws {
        guard isValid(digest) else {
            throw RegistryError(.invalidDigest, "invalid digest \"\(digest)\": expected sha256: and 64 lower-case hex digits")
        }
    }

    /// The digest of some bytes.
    static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return string(hasher.finalize())
    }

    /// The `sha256:…` form of a finished hash.
    static func string(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return prefix + String(decoding: hex, as: UTF8.self)
    }
}
