import Digests
import Testing
@testable import Registry

struct ContentDigestTests {
    @Test func malformedDigestsAreInvalidDigestErrors() throws {
        try SHA256Digest.validate(SHA256Digest.of(Array("x".utf8)))
        #expect(throws: RegistryError.self) { try SHA256Digest.validate("sha256:E3B0") }
    }

    @Test func mediaTypeFallsBackToTheBody() {
        let body = Array(#"{"mediaType":"application/vnd.oci.image.index.v1+json"}"#.utf8)
        #expect(RegistryClient.mediaType(contentType: "application/vnd.oci.image.manifest.v1+json; charset=utf-8", body: body)
            == "application/vnd.oci.image.manifest.v1+json")
        #expect(RegistryClient.mediaType(contentType: "application/json", body: body) == "application/vnd.oci.image.index.v1+json")
        #expect(RegistryClient.mediaType(contentType: nil, body: []) == "")
    }
}
