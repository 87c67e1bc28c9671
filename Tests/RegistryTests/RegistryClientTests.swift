import Digests
import Foundation
import Testing
@testable import Registry

/// Push and pull against a real `docker-registry` on 127.0.0.1 without authentication.
@Suite(.enabled(if: Fixtures.hasRegistry, "needs /usr/bin/docker-registry (Debian package docker-registry)"))
struct RegistryClientTests {
    @Test func pushThenPullRoundTrip() async throws {
        let registry = try await TestRegistry.start()
        defer { registry.stop() }
        let client = Fixtures.client()
        let image = Fixtures.TestImage(layerSize: 3 << 20 + 123)  // several upload chunks
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        let host = registry.host

        #expect(try await !client.blobExists(registry: host, repository: "bb", digest: image.layer.digest, credentials: nil))
        let uploaded = ProgressRecorder()
        for blob in [image.config, image.layer] {
            try await client.uploadBlob(
                registry: host, repository: "bb", digest: blob.digest, size: blob.size, fromFileAt: try blob.write(in: files), credentials: nil
            ) { uploaded.set($0) }
        }
        #expect(uploaded.last == image.layer.size)
        #expect(try await client.blobExists(registry: host, repository: "bb", digest: image.layer.digest, credentials: nil))
        #expect(try await client.blobExists(registry: host, repository: "bb", digest: image.config.digest, credentials: nil))

        // Mount into another repository; mounting from a repository that lacks the blob starts (and
        // cancels) an upload instead.
        #expect(try await client.mountBlob(registry: host, repository: "other/bb", digest: image.layer.digest, from: "bb", credentials: nil))
        #expect(try await client.blobExists(registry: host, repository: "other/bb", digest: image.layer.digest, credentials: nil))
        #expect(try await !client.mountBlob(registry: host, repository: "other/bb", digest: image.config.digest, from: "nothere", credentials: nil))

        let pushed = try await client.putManifest(
            registry: host, repository: "bb", reference: "1", mediaType: Fixtures.TestImage.manifestMediaType, body: image.manifest, credentials: nil)
        #expect(pushed == SHA256Digest.of(image.manifest))

        let byTag = try await client.manifest(registry: host, repository: "bb", reference: "1", credentials: nil, accept: [])
        #expect(byTag.descriptor == RegistryDescriptor(mediaType: Fixtures.TestImage.manifestMediaType, digest: pushed, size: Int64(image.manifest.count)))
        #expect(byTag.body == image.manifest)
        let byDigest = try await client.manifest(
            registry: host, repository: "bb", reference: pushed, credentials: nil, accept: [Fixtures.TestImage.manifestMediaType])
        #expect(byDigest.descriptor == byTag.descriptor)
        #expect(byDigest.body == byTag.body)

        let downloaded = ProgressRecorder()
        let path = files + "/layer.download"
        try await client.fetchBlob(
            registry: host, repository: "other/bb", digest: image.layer.digest, size: image.layer.size, toFileAt: path, credentials: nil
        ) { downloaded.set($0) }
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == image.layer.bytes)
        #expect(downloaded.last == image.layer.size)
    }

    @Test func blobNotMatchingItsDigestIsRejectedAndLeavesNoFile() async throws {
        let registry = try await TestRegistry.start()
        defer { registry.stop() }
        let client = Fixtures.client()
        let blob = Fixtures.Blob("the real content")
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        try await client.uploadBlob(
            registry: registry.host, repository: "bb", digest: blob.digest, size: blob.size, fromFileAt: try blob.write(in: files), credentials: nil)
        // The registry serves whatever its storage holds: tamper with it, keeping the size.
        let tampered = Fixtures.Blob("the fake content")
        try Data(tampered.bytes).write(to: URL(fileURLWithPath: registry.blobDataPath(blob.digest)))

        let path = files + "/download"
        let error = await #expect(throws: RegistryError.self) {
            try await client.fetchBlob(registry: registry.host, repository: "bb", digest: blob.digest, toFileAt: path, credentials: nil)
        }
        #expect(error?.code == .invalidDigest)
        #expect(error?.message == "digest mismatch for \(blob.digest): got \(tampered.digest)")
        #expect(!FileManager.default.fileExists(atPath: path))

        // A size that disagrees with the registry's is refused before anything is written.
        let sized = await #expect(throws: RegistryError.self) {
            try await client.fetchBlob(registry: registry.host, repository: "bb", digest: blob.digest, size: 3, toFileAt: path, credentials: nil)
        }
        #expect(sized?.code == .invalidDigest)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func uploadOfContentNotMatchingItsDigestIsRejected() async throws {
        let registry = try await TestRegistry.start()
        defer { registry.stop() }
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        let path = try Fixtures.Blob("some bytes").write(in: files)
        let claimed = Fixtures.Blob("other bytes!")
        let error = await #expect(throws: RegistryError.self) {
            try await Fixtures.client().uploadBlob(
                registry: registry.host, repository: "bb", digest: claimed.digest, size: 10, fromFileAt: path, credentials: nil)
        }
        #expect(error?.code == .invalidDigest)
        #expect(error?.message.contains(claimed.digest) == true)
    }

    @Test func missingRepositoryTagAndBlobAreNotFound() async throws {
        let registry = try await TestRegistry.start()
        defer { registry.stop() }
        let client = Fixtures.client()
        let image = Fixtures.TestImage(layerSize: 10)
        let files = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        let host = registry.host
        for blob in [image.config, image.layer] {
            try await client.uploadBlob(
                registry: host, repository: "bb", digest: blob.digest, size: blob.size, fromFileAt: try blob.write(in: files), credentials: nil)
        }
        _ = try await client.putManifest(
            registry: host, repository: "bb", reference: "1", mediaType: Fixtures.TestImage.manifestMediaType, body: image.manifest, credentials: nil)

        let missingTag = await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: host, repository: "bb", reference: "2", credentials: nil, accept: [])
        }
        #expect(missingTag?.code == .notFound)
        #expect(missingTag?.message == "manifest for \(host)/bb:2 not found: manifest unknown")

        // docker-registry 2.8 answers MANIFEST_UNKNOWN here (others say NAME_UNKNOWN: see RegistryOperationTests).
        let missingRepository = await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: host, repository: "nothere", reference: "1", credentials: nil, accept: [])
        }
        #expect(missingRepository?.code == .notFound)
        #expect(missingRepository?.message == "manifest for \(host)/nothere:1 not found: manifest unknown")

        let path = files + "/missing"
        let missingBlob = await #expect(throws: RegistryError.self) {
            try await client.fetchBlob(registry: host, repository: "bb", digest: Fixtures.Blob("nope").digest, toFileAt: path, credentials: nil)
        }
        #expect(missingBlob?.code == .notFound)
        #expect(missingBlob?.message.hasPrefix("blob sha256:") == true)
        #expect(!FileManager.default.fileExists(atPath: path))

        // A manifest naming a blob the repository lacks is refused.
        let orphan = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"\#(Fixtures.Blob("nope").digest)","size":4},"layers":[]}"#.utf8)
        let orphaned = await #expect(throws: RegistryError.self) {
            try await client.putManifest(
                registry: host, repository: "bb", reference: "3", mediaType: Fixtures.TestImage.manifestMediaType, body: orphan, credentials: nil)
        }
        #expect(orphaned?.code == .notFound)
        #expect(orphaned?.message == "registry \(host) rejected manifest for \(host)/bb:3: manifest blob unknown: blob unknown to registry")
    }
}

/// Failures that need no registry: nothing listening, names refused before any request.
struct RegistryClientOfflineTests {
    @Test func unreachableRegistryIsUnavailableAtOnce() async throws {
        let port = try Fixtures.freePort()
        let started = ContinuousClock.now
        let error = await #expect(throws: RegistryError.self) {
            try await Fixtures.client().manifest(registry: "127.0.0.1:\(port)", repository: "bb", reference: "1", credentials: nil, accept: [])
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasPrefix("cannot reach registry 127.0.0.1:\(port): GET http://127.0.0.1:\(port)/v2/bb/manifests/1: ") == true)
        #expect(error?.message.hasSuffix(": connection refused") == true)
        #expect(ContinuousClock.now - started < .seconds(60), "no retries with long waits on a refused connection")
    }

    @Test func invalidNamesAreRefusedBeforeAnyRequest() async throws {
        let client = Fixtures.client()
        await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: "127.0.0.1:1", repository: "../etc", reference: "1", credentials: nil, accept: [])
        }
        await #expect(throws: RegistryError.self) {
            try await client.manifest(registry: "127.0.0.1:1", repository: "bb", reference: "a/b", credentials: nil, accept: [])
        }
        let digest = await #expect(throws: RegistryError.self) {
            try await client.blobExists(registry: "127.0.0.1:1", repository: "bb", digest: "sha256:XYZ", credentials: nil)
        }
        #expect(digest?.code == .invalidDigest)
        let host = await #expect(throws: RegistryError.self) {
            try await client.login(registry: "evil.example/path", credentials: RegistryCredentials(username: "u", password: "p"))
        }
        #expect(host?.code == .invalidArgument)
    }
}
