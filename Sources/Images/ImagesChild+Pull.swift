import Digests
import Foundation
import Messages
import Registry

extension ImagesChild {
    /// The media types a pull accepts for a manifest, single-platform first.
    static let manifestMediaTypes = [
        ImageManifest.dockerMediaType, ImageManifest.ociMediaType,
        "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.index.v1+json",
    ]

    /// `docker pull`: fetches the manifest (choosing linux/amd64 from a list), then the configuration and
    /// layers (in parallel, up to `max-concurrent-downloads`), and stores the image like a load. Nothing
    /// is recorded unless everything arrived and matched its digest.
    public func pull(_ name: String, auth: RegistryAuth?, progress: ProgressSink) async throws {
        try await talkingToRegistry { try await pullImage(name, auth: auth, progress: progress) }
    }

    private func pullImage(_ name: String, auth: RegistryAuth?, progress: ProgressSink) async throws {
        let reference = try ImageReference(parsing: name)
        let (host, credentials) = (Self.registryHost(reference.domain), auth.flatMap(Self.credentials))
        var (descriptor, body) = try await registry.manifest(
            registry: host, repository: reference.path, reference: reference.digest ?? reference.tag ?? "latest",
            credentials: credentials, accept: Self.manifestMediaTypes)
        if ImageIndex.mediaTypes.contains(descriptor.mediaType) {
            guard let index = try? JSONDecoder().decode(ImageIndex.self, from: Data(body)),
                  let chosen = index.manifests.first(where: { $0.platform.map { $0.os == "linux" && $0.architecture == "amd64" } ?? false })
            else { throw EngineError.notFound("no matching manifest for linux/amd64 in the manifest list entries") }
            (descriptor, body) = try await registry.manifest(
                registry: host, repository: reference.path, reference: chosen.digest, credentials: credentials, accept: Self.manifestMediaTypes)
        }
        let manifest = try ImageManifest.parse(Data(body))
        // The first line goes out once the manifest is there: a missing image is a plain error response.
        progress.yield(ProgressLine(status: "Pulling from \(reference.familiarRepository)", id: reference.tag ?? reference.digest))
        try FileManager.default.createDirectory(atPath: stagingRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let staging = stagingRoot + "/pull-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let configPath = staging + "/config"
        try await registry.fetchBlob(
            registry: host, repository: reference.path, digest: manifest.config.digest, toFileAt: configPath, credentials: credentials) { _ in }
        let layerPaths = try await download(manifest.layers, from: host, repository: reference.path, credentials: credentials, into: staging, progress: progress)
        let manifestDigest = descriptor.digest
        let alreadyHad = (try? await catalog.resolve(SHA256Digest.of(try Data(contentsOf: URL(fileURLWithPath: configPath))))) != nil
        let candidate = LoadCandidate(
            configPath: configPath, layerPaths: layerPaths,
            manifest: (Data(body), ContentDescriptor(mediaType: descriptor.mediaType, digest: manifestDigest, size: Int64(body.count))),
            names: [reference.digest == nil ? reference.description : nil, reference.repository + "@" + manifestDigest].compactMap { $0 })
        _ = try await store(candidate, staging: staging, event: "pull")
        progress.yield(ProgressLine(status: "Digest: \(manifestDigest)"))
        progress.yield(ProgressLine(status: alreadyHad
            ? "Status: Image is up to date for \(reference.familiar)"
            : "Status: Downloaded newer image for \(reference.familiar)"))
    }

    /// Downloads layers in parallel (at most `maxConcurrentDownloads` at a time); returns their files in order.
    private func download(
        _ layers: [ContentDescriptor], from host: String, repository: String, credentials: RegistryCredentials?, into staging: String,
        progress: ProgressSink
    ) async throws -> [String] {
        let registry = self.registry
        for layer in layers { progress.yield(ProgressLine(status: "Pulling fs layer", id: Self.shortID(layer.digest))) }
        return try await concurrently(layers.count, limit: maxConcurrentDownloads) { index in
            let layer = layers[index]
            let path = staging + "/layer-\(index)"
            try await registry.fetchBlob(
                registry: host, repository: repository, digest: layer.digest, size: layer.size, toFileAt: path, credentials: credentials
            ) { done in
                progress.yield(ProgressLine(status: "Downloading", id: Self.shortID(layer.digest), current: done, total: layer.size))
            }
            progress.yield(ProgressLine(status: "Download complete", id: Self.shortID(layer.digest)))
            return path
        } finished: { index in
            progress.yield(ProgressLine(status: "Pull complete", id: Self.shortID(layers[index].digest)))
        }
    }

    /// Docker Hub's registry answers at `registry-1.docker.io`.
    static func registryHost(_ domain: String) -> String {
        domain == ImageReference.defaultDomain ? "registry-1.docker.io" : domain
    }

    static func credentials(_ auth: RegistryAuth) -> RegistryCredentials? {
        auth.isEmpty ? nil : RegistryCredentials(username: auth.username, password: auth.password, identityToken: auth.identityToken.isEmpty ? nil : auth.identityToken)
    }

    /// The 12-digit form layers are shown with.
    static func shortID(_ digest: String) -> String { String(SHA256Digest.hex(digest).prefix(12)) }
}
