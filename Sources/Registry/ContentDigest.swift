import Digests

extension SHA256Digest {
    /// Throws `.invalidDigest` unless `digest` is a well-formed sha256 digest.
    static func validate(_ digest: String) throws {
        guard isValid(digest) else {
            throw RegistryError(.invalidDigest, "invalid digest \"\(digest)\": expected sha256: and 64 lower-case hex digits")
        }
    }
}
