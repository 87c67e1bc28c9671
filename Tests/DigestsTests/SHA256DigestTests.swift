import Digests
import Foundation
import Testing

@Suite struct SHA256DigestTests {
    @Test func knownVectors() {
        #expect(SHA256Digest.of([UInt8]()) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.of(Array("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.of(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func fileDigestMatchesTheBytesDigestAcrossChunks() async throws {
        let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = "/tmp/berth-sha256-\(UInt32.random(in: 0...UInt32.max))"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try await SHA256Digest.ofFile(atPath: path) == SHA256Digest.of(bytes))
        #expect(try SHA256Digest.ofFileBlocking(atPath: path) == SHA256Digest.of(bytes))
    }

    @Test func validation() {
        #expect(SHA256Digest.isValid("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(!SHA256Digest.isValid("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))
        #expect(!SHA256Digest.isValid("sha256:e3b0"))
        #expect(!SHA256Digest.isValid("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }

    @Test func chainIDsStartWithTheFirstDiffID() {
        let a = "sha256:" + String(repeating: "a", count: 64)
        let b = "sha256:" + String(repeating: "b", count: 64)
        #expect(SHA256Digest.chainIDs([a, b]) == [a, SHA256Digest.of(Array("\(a) \(b)".utf8))])
        #expect(SHA256Digest.hex(a) == String(repeating: "a", count: 64))
    }
}
