import Digests
import AsyncHTTPClient
import Foundation
import NIOCore

extension RegistryClient {
    /// The manifest media types asked for when the caller names none: Docker schema 2 and OCI manifests
    /// and their lists.
    public static let defaultManifestMediaTypes = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ]

    /// Fetches a manifest (or manifest list / index) by tag or digest:
    /// `GET /v2/<repository>/manifests/<reference>`.
    ///
    /// - Parameters:
    ///   - host: The registry, `host[:port]` (Docker Hub is `registry-1.docker.io`).
    ///   - repository: The repository path, e.g. `library/busybox`.
    ///   - reference: A tag or a `sha256:…` digest.
    ///   - accept: The media types to accept, most wanted first; empty asks for `defaultManifestMediaTypes`.
    /// - Returns: The manifest's descriptor (media type from `Content-Type`, or from the body's
    ///   `mediaType` when the registry sends none; digest computed from the bytes) and its bytes, at most
    ///   `maxManifestSize`.
    /// - Throws: `RegistryError`: `.notFound` (`manifest for 127.0.0.1:5000/bb:2 not found: manifest
    ///   unknown`), `.unauthorized`, `.invalidDigest` when fetched by digest and the bytes do not match,
    ///   `.tooLarge`, `.unavailable`.
    public func manifest(
        registry host: String, repository: String, reference: String, credentials: RegistryCredentials?, accept: [String]
    ) async throws -> (descriptor: RegistryDescriptor, body: [UInt8]) {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try RegistryNames.validate(reference: reference)
        let isDigest = reference.hasPrefix(SHA256Digest.prefix)
        let subject = "manifest for " + endpoint.displayName(repository) + (isDigest ? "@" : ":") + reference
        let operation = RegistryOperation(
            endpoint: endpoint, access: .pull, repository: repository, scopes: [RegistryOperation.pullScope(repository)],
            credentials: credentials, subject: subject)
        var request = HTTPClientRequest(url: endpoint.url(repository, "manifests/" + reference))
        request.headers.add(name: "Accept", value: (accept.isEmpty ? Self.defaultManifestMediaTypes : accept).joined(separator: ", "))
        let response = try await perform(request, operation, expecting: [200])
        let body = try await collect(response, limit: Self.maxManifestSize, what: subject)
        let digest = SHA256Digest.of(body)
        if isDigest, digest != reference {
            throw RegistryError(.invalidDigest, "digest mismatch for \(reference): got \(digest)")
        }
        if let announced = response.headers.first(name: "Docker-Content-Digest"), announced != digest {
            logger.warning(
                "ignore docker-content-digest that does not match the manifest",
                metadata: ["registry": "\(host)", "announced": "\(announced)", "computed": "\(digest)"])
        }
        let mediaType = Self.mediaType(contentType: response.headers.first(name: "Content-Type"), body: body)
        return (RegistryDescriptor(mediaType: mediaType, digest: digest, size: Int64(body.count)), body)
    }

    /// Puts a manifest under a tag (or its digest): `PUT /v2/<repository>/manifests/<reference>`.
    ///
    /// - Returns: The manifest's digest: the registry's `Docker-Content-Digest`, or the sha256 of `body`
    ///   when it sends none.
    /// - Throws: `RegistryError`: `.invalidDigest` when `reference` is a digest `body` does not match;
    ///   `.unauthorized`, `.notFound` (a blob the manifest names is missing: `MANIFEST_BLOB_UNKNOWN`),
    ///   `.protocolError` (the registry rejected the manifest), `.unavailable`.
    public func putManifest(
        registry host: String, repository: String, reference: String, mediaType: String, body: [UInt8], credentials: RegistryCredentials?
    ) async throws -> String {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try RegistryNames.validate(reference: reference)
        let digest = SHA256Digest.of(body)
        let isDigest = reference.hasPrefix(SHA256Digest.prefix)
        if isDigest, digest != reference {
            throw RegistryError(.invalidDigest, "digest mismatch for \(reference): got \(digest)")
        }
        guard body.count <= Self.maxManifestSize else {
            throw RegistryError(.tooLarge, "manifest of \(body.count) bytes is larger than \(Self.maxManifestSize) bytes")
        }
        let operation = RegistryOperation(
            endpoint: endpoint, access: .push, repository: repository, scopes: [RegistryOperation.pushScope(repository)],
            credentials: credentials, subject: "manifest for " + endpoint.displayName(repository) + (isDigest ? "@" : ":") + reference)
        var request = HTTPClientRequest(url: endpoint.url(repository, "manifests/" + reference))
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: mediaType)
        request.body = .bytes(body)
        let response = try await perform(request, operation, expecting: [200, 201, 202, 204])
        await discard(response)
        let announced = response.headers.first(name: "Docker-Content-Digest")
        if let announced, SHA256Digest.isValid(announced) {
            if announced != digest {
                logger.warning(
                    "registry announced another manifest digest", metadata: ["registry": "\(host)", "announced": "\(announced)", "computed": "\(digest)"])
            }
            return announced
        }
        return digest
    }

    /// The media type of a manifest: `Content-Type` without parameters, unless it is missing or generic,
    /// then the body's `mediaType` field.
    static func mediaType(contentType: String?, body: [UInt8]) -> String {
        let declared = contentType.flatMap { $0.split(separator: ";").first }.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let generic = ["", "application/json", "application/octet-stream", "text/plain"]
        guard generic.contains(declared.lowercased()) else { return declared }
        struct Probe: Decodable { var mediaType: String? }
        return (try? JSONDecoder().decode(Probe.self, from: Data(body)))?.mediaType ?? declared
    }
}
