import Digests
import Testing
@testable import Registry

struct RegistryEndpointTests {
    @Test(arguments: ["127.0.0.1:5000", "127.9.8.7", "localhost:5000", "LOCALHOST", "[::1]:5000", "[::1]"])
    func loopbackIsPlainHTTP(host: String) throws {
        let endpoint = try RegistryEndpoint(host: host, insecureRegistries: [])
        #expect(endpoint.isPlainHTTP)
        #expect(endpoint.apiBase == "http://\(host)/v2/")
    }

    @Test func othersAreHTTPSUnlessInsecure() throws {
        #expect(try RegistryEndpoint(host: "registry-1.docker.io", insecureRegistries: []).origin == "https://registry-1.docker.io")
        #expect(try !RegistryEndpoint(host: "10.1.2.3:5000", insecureRegistries: ["10.1.2.3:5001"]).isPlainHTTP)
        #expect(try RegistryEndpoint(host: "10.1.2.3:5000", insecureRegistries: ["10.1.2.3:5000"]).isPlainHTTP)
        #expect(try RegistryEndpoint(host: "10.1.2.3:5000", insecureRegistries: ["10.0.0.0/8"]).isPlainHTTP)
        #expect(try !RegistryEndpoint(host: "11.1.2.3:5000", insecureRegistries: ["10.0.0.0/8"]).isPlainHTTP)
        #expect(try RegistryEndpoint(host: "reg.local:443", insecureRegistries: ["http://reg.local/"]).isPlainHTTP)
    }

    @Test(arguments: ["", "a/b", "host:port", "host:0", "host:70000", "[::1", "user@host", "ho st"])
    func malformedHostsAreRefused(host: String) {
        #expect(throws: RegistryError.self) { try RegistryEndpoint(host: host, insecureRegistries: []) }
    }

    @Test func displayNamesFollowDocker() throws {
        let hub = try RegistryEndpoint(host: "registry-1.docker.io", insecureRegistries: [])
        #expect(hub.displayName("library/busybox") == "busybox")
        #expect(hub.displayName("me/app") == "me/app")
        #expect(try RegistryEndpoint(host: "127.0.0.1:5000", insecureRegistries: []).displayName("bb") == "127.0.0.1:5000/bb")
    }

    @Test func namesAreChecked() throws {
        for valid in ["bb", "library/busybox", "a.b_c__d-e--f/g0"] { try RegistryNames.validate(repository: valid) }
        for invalid in ["", "Upper", "a//b", "../x", "a/", "-a", "a?b"] {
            #expect(throws: RegistryError.self) { try RegistryNames.validate(repository: invalid) }
        }
        try RegistryNames.validate(reference: "v1.0_rc-1")
        try RegistryNames.validate(reference: SHA256Digest.of([]))
        for invalid in ["", ".x", "a/b", "sha256:abc", String(repeating: "t", count: 129)] {
            #expect(throws: RegistryError.self) { try RegistryNames.validate(reference: invalid) }
        }
    }

    @Test func locationsAndQueries() {
        let base = "http://127.0.0.1:5000/v2/bb/blobs/uploads/"
        #expect(RegistryClient.resolve("/v2/bb/blobs/uploads/u1?_state=s", against: base) == "http://127.0.0.1:5000/v2/bb/blobs/uploads/u1?_state=s")
        #expect(RegistryClient.resolve("https://other.example/up", against: base) == "https://other.example/up")
        #expect(RegistryClient.appendingQuery("http://h/u?_state=a", [("digest", "sha256:ab")]) == "http://h/u?_state=a&digest=sha256%3Aab")
        #expect(RegistryClient.appendingQuery("http://h/u", [("scope", "repository:a/b:pull,push")]) == "http://h/u?scope=repository%3Aa%2Fb%3Apull%2Cpush")
        #expect(RegistryClient.origin(of: "https://H.example/x") == RegistryClient.origin(of: "https://h.example:443/y"))
        #expect(RegistryClient.origin(of: "http://127.0.0.1:5000/v2/") != RegistryClient.origin(of: "http://localhost:5000/v2/"))
    }
}
