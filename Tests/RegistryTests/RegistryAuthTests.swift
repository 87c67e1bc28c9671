import Digests
import Foundation
import Testing
@testable import Registry

/// Basic auth against a real `docker-registry` with an htpasswd file.
@Suite(.enabled(if: Fixtures.hasRegistry && Fixtures.hasHtpasswd, "needs /usr/bin/docker-registry and /usr/bin/htpasswd (Debian packages docker-registry, apache2-utils)"))
struct RegistryBasicAuthTests {
    @Test func basicAuthRefusesMissingAndWrongCredentialsAndAcceptsRightOnes() async throws {
        let registry = try await TestRegistry.start(users: ["user": "pass"])
        defer { registry.stop() }
        let host = registry.host
        let client = Fixtures.client()
        let right = RegistryCredentials(username: "user", password: "pass")
        let wrong = RegistryCredentials(username: "user", password: "nope")

        let anonymous = await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: host, repository: "bb", reference: "1", credentials: nil, accept: [])
        }
        #expect(anonymous?.code == .unauthorized)
        #expect(anonymous?.message == "pull access denied for \(host)/bb, repository does not exist or may require 'docker login': unauthorized: authentication required")

        let badLogin = await #expect(throws: RegistryError.self) { try await client.login(registry: host, credentials: wrong) }
        #expect(badLogin?.code == .unauthorized)
        #expect(badLogin?.message.hasPrefix("login attempt to http://\(host)/v2/ failed with status: 401 Unauthorized") == true)

        let badPush = await #expect(throws: RegistryError.self) {
            try await client.blobExists(registry: host, repository: "bb", digest: Fixtures.Blob("x").digest, credentials: wrong)
        }
        #expect(badPush?.code == .unauthorized)

        try await client.login(registry: host, credentials: right)

        // The whole round trip works with the right credentials.
        let image = Fixtures.TestImage(layerSize: 1000)
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        for blob in [image.config, image.layer] {
            try await client.uploadBlob(
                registry: host, repository: "bb", digest: blob.digest, size: blob.size, fromFileAt: try blob.write(in: files), credentials: right)
        }
        let digest = try await client.putManifest(
            registry: host, repository: "bb", reference: "1", mediaType: Fixtures.TestImage.manifestMediaType, body: image.manifest, credentials: right)
        let fetched = try await client.manifest(registry: host, repository: "bb", reference: "1", credentials: right, accept: [])
        #expect(fetched.descriptor.digest == digest)
        try await client.fetchBlob(registry: host, repository: "bb", digest: image.layer.digest, toFileAt: files + "/layer", credentials: right)

        // Credentials are not shared between callers: the anonymous caller is still refused, the wrong
        // password still fails.
        await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: host, repository: "bb", reference: "1", credentials: nil, accept: [])
        }
        await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: host, repository: "bb", reference: "1", credentials: wrong, accept: [])
        }
    }
}

/// The bearer-token flow against a fake registry with its own token server.
@Suite(.enabled(if: Fixtures.python != nil, "needs python3 for the fake bearer registry"))
struct RegistryBearerAuthTests {
    let right = RegistryCredentials(username: "user", password: "pass")

    @Test func loginFetchesATokenWithTheCredentials() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let client = Fixtures.client()
        try await client.login(registry: fake.host, credentials: right)
        let stats = try await fake.stats()
        #expect(stats.tokens == 1)
        #expect(stats.scopes == ["repository:x:pull"])

        let error = await #expect(throws: RegistryError.self) {
            try await client.login(registry: fake.host, credentials: RegistryCredentials(username: "user", password: "wrong"))
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message == "login attempt to http://\(fake.host)/v2/ failed with status: 401 Unauthorized: incorrect username or password")
    }

    @Test func manifestIsServedWithTheTokenWhichIsCached() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let client = Fixtures.client()
        let first = try await client.manifest(registry: fake.host, repository: "x", reference: "1", credentials: right, accept: [])
        #expect(first.body == FakeBearerRegistry.manifest)
        #expect(first.descriptor.mediaType == "application/vnd.docker.distribution.manifest.v2+json")
        let second = try await client.manifest(registry: fake.host, repository: "x", reference: first.descriptor.digest, credentials: right, accept: [])
        #expect(second.descriptor == first.descriptor)
        let stats = try await fake.stats()
        // One 401 taught the client the challenge; one token served both requests.
        #expect(stats.unauthorized == 1)
        #expect(stats.tokens == 1)
        #expect(stats.scopes == ["repository:x:pull"])
    }

    @Test func anonymousTokenIsRefused() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let error = await #expect(throws: RegistryError.self) {
            try await Fixtures.client().manifest(registry: fake.host, repository: "x", reference: "1", credentials: nil, accept: [])
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message == "pull access denied for \(fake.host)/x, repository does not exist or may require 'docker login': unauthorized: authentication required")
    }

    @Test func identityTokenIsExchangedAsARefreshToken() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let client = Fixtures.client()
        let manifest = try await client.manifest(
            registry: fake.host, repository: "x", reference: "1",
            credentials: RegistryCredentials(username: "", password: "", identityToken: "refresh-me"), accept: [])
        #expect(manifest.body == FakeBearerRegistry.manifest)
        let error = await #expect(throws: RegistryError.self) {
            try await client.login(registry: fake.host, credentials: RegistryCredentials(username: "", password: "", identityToken: "stale"))
        }
        #expect(error?.message.hasSuffix("bad refresh token") == true)
    }

    @Test func manifestNotMatchingTheRequestedDigestIsRejected() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let wanted = Fixtures.Blob("another manifest").digest
        let error = await #expect(throws: RegistryError.self) {
            try await Fixtures.client().manifest(registry: fake.host, repository: "x", reference: wanted, credentials: right, accept: [])
        }
        #expect(error?.code == .invalidDigest)
        #expect(error?.message == "digest mismatch for \(wanted): got \(SHA256Digest.of(FakeBearerRegistry.manifest))")
    }

    @Test func blobRedirectIsFollowedWithoutTheRegistrysAuthorization() async throws {
        let fake = try await FakeBearerRegistry.start(python: Fixtures.python ?? "")
        defer { fake.stop() }
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        let blob = Fixtures.Blob(FakeBearerRegistry.blob)
        try await Fixtures.client().fetchBlob(
            registry: fake.host, repository: "x", digest: blob.digest, toFileAt: files + "/blob", credentials: right)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: files + "/blob"))) == blob.bytes)
        #expect(try await fake.stats().storageSawAuthorization == false)
    }
}
