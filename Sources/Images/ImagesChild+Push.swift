import Foundation
import Messages
import Registry

extension ImagesChild {
    /// `docker push`: uploads what the registry lacks, up to `max-concurrent-uploads` at a time (mounting
    /// blobs the registry has in another repository this image is named in), then the manifest under the tag.
    public func push(_ name: String, tag: String?, auth: RegistryAuth?, progress: ProgressSink) async throws {
        try await talkingToRegistry { try await pushImage(name, tag: tag, auth: auth, progress: progress) }
    }

    private func pushImage(_ name: String, tag: String?, auth: RegistryAuth?, progress: ProgressSink) async throws {
        let base = try ImageReference(parsing: name, defaultTag: nil)
        let reference = try ImageReference(parsing: base.repository + ":" + (tag ?? base.tag ?? "latest"))
        let image = try await catalog.resolve(reference.description)
        let manifest = try ImageManifest.parse(image.manifest)
        let (host, credentials) = (Self.registryHost(reference.domain), auth.flatMap(Self.credentials))
        progress.yield(ProgressLine(status: "The push refers to repository [\(reference.familiarRepository)]"))
        try FileManager.default.createDirectory(atPath: stagingRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let blobs = manifest.layers + [manifest.config]
        let sources = try await catalog.names(of: image.id).compactMap { try? ImageReference(parsing: $0.name) }
            .filter { $0.domain == reference.domain && $0.path != reference.path }.map(\.path)
        let (registry, containerd, staging) = (self.registry, subsystems.containerd, stagingRoot)
        for blob in blobs { progress.yield(ProgressLine(status: "Preparing", id: Self.shortID(blob.digest))) }
        _ = try await concurrently(blobs.count, limit: maxConcurrentUploads) { index in
            let blob = blobs[index]
            let id = Self.shortID(blob.digest)
            if try await registry.blobExists(registry: host, repository: reference.path, digest: blob.digest, credentials: credentials) {
                progress.yield(ProgressLine(status: "Layer already exists", id: id))
                return
            }
            for source in sources {
                if try await registry.mountBlob(registry: host, repository: reference.path, digest: blob.digest, from: source, credentials: credentials) {
                    progress.yield(ProgressLine(status: "Mounted from \(source)", id: id))
                    return
                }
            }
            let file = staging + "/push-" + UUID().uuidString.lowercased()
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await containerd.ask(deadline: .storage) { try await $0.exportContent(blob.digest, toFile: file) }
            try await registry.uploadBlob(
                registry: host, repository: reference.path, digest: blob.digest, size: blob.size, fromFileAt: file, credentials: credentials
            ) { done in
                progress.yield(ProgressLine(status: "Pushing", id: id, current: done, total: blob.size))
            }
            progress.yield(ProgressLine(status: "Pushed", id: id))
        }
        let digest = try await registry.putManifest(
            registry: host, repository: reference.path, reference: reference.tag ?? "latest", mediaType: image.manifestMediaType,
            body: Array(image.manifest), credentials: credentials)
        try await catalog.setReference(try ImageReference(parsing: reference.repository + "@" + digest), to: image.id)
        let size = "\(image.manifest.count)"
        progress.yield(ProgressLine(status: "\(reference.tag ?? "latest"): digest: \(digest) size: \(size)"))
        progress.yield(ProgressLine(status: "", aux: ["Tag": reference.tag ?? "latest", "Digest": digest, "Size": size]))
        await publish("push", id: image.id, name: reference.familiar)
    }

    /// `docker login`: checks the credentials with the registry.
    public func login(_ auth: RegistryAuth) async throws -> String {
        guard let credentials = Self.credentials(auth) else { throw EngineError.invalidArgument("a username and password are required") }
        let server = auth.serverAddress.isEmpty ? ImageReference.defaultDomain : auth.serverAddress
        let host = Self.registryHost(server.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
            .split(separator: "/").first.map(String.init) ?? server)
        try await talkingToRegistry { try await registry.login(registry: host, credentials: credentials) }
        return "Login Succeeded"
    }
}
