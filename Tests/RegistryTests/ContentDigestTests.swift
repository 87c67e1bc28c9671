import Testing
@testable import Registry

struct ContentDigestTests {
    @Test func digests() {
        #expect(ContentDigest.sha256([]) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentDigest.isValid(ContentDigest.sha256(Array("x".utf8))))
        #expect(!ContentDigest.isValid("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))
        #expect(!ContentDigest.isValid("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }

    @Test func mediaTypeFallsBackToTheBody() {
        let body = Array(#"{"mediaType":"application/vnd.oci.image.index.v1+json"}"#.utf8)
        #expect(RegistryClient.mediaType(contentType: "application/vnd.oci.image.manifest.v1+json; charset=utf-8", body: body)
            == "application/vnd.oci.image.manifest.v1+json")
        #expect(RegistryClient.mediaType(contentType: "application/json", body: body) == "application/vnd.oci.image.index.v1+json")
        #expect(RegistryClient.mediaType(contentType: nil, body: []) == "")
    }
}
