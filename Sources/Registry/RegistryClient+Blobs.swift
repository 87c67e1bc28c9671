import Digests
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

extension RegistryClient {
    /// Downloads a blob into a file: `GET /v2/<repository>/blobs/<digest>`, following redirects to blob
    /// storage. The bytes are hashed while they are written; the file is created (or truncated) at `path`
    /// and removed again on any failure, so it exists afterwards only with the right content.
    ///
    /// - Parameters:
    ///   - size: The size the descriptor gives, if known: a registry sending more (or, by
    ///     `Content-Length`, announcing other) is refused.
    ///   - progress: Called with the bytes written so far, at most every 100 ms and once at the end.
    /// - Throws: `RegistryError`: `.invalidDigest` (`digest mismatch for sha256:…: got sha256:…`),
    ///   `.notFound`, `.unauthorized`, `.unavailable` (also for a connection lost midway), `.io`.
    public func fetchBlob(
        registry host: String, repository: String, digest: String, size: Int64? = nil, toFileAt path: String,
        credentials: RegistryCredentials?, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try SHA256Digest.validate(digest)
        let operation = RegistryOperation(
            endpoint: endpoint, access: .pull, repository: repository, scopes: [RegistryOperation.pullScope(repository)],
            credentials: credentials, subject: "blob \(digest) in \(endpoint.displayName(repository))")
        var request = HTTPClientRequest(url: endpoint.url(repository, "blobs/" + digest))
        // Blobs are compressed already; a transparently decompressed body would not match its digest.
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let response = try await perform(request, operation, expecting: [200], deadline: .distantFuture)
        if let size, let announced = response.headers.first(name: "Content-Length").flatMap(Int64.init), announced != size {
            await discard(response)
            throw RegistryError(.invalidDigest, "size mismatch for \(digest): registry sends \(announced) bytes, expected \(size)")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            await discard(response)
            throw RegistryError(.io, "cannot create \(path)")
        }
        do {
            let handle: FileHandle
            do {
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            } catch {
                throw RegistryError(.io, "cannot open \(path): \(error)", cause: error)
            }
            defer { try? handle.close() }
            var hasher = SHA256()
            var done: Int64 = 0
            var reporter = ProgressReporter(progress)
            var chunks = response.body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await chunks.next()
                } catch {
                    try Task.checkCancellation()
                    throw RegistryError(.unavailable, "download of \(digest) from \(host) failed: \(Self.describe(error))", cause: error)
                }
                guard let chunk = next else { break }
                done += Int64(chunk.readableBytes)
                if let size, done > size {
                    throw RegistryError(.invalidDigest, "size mismatch for \(digest): registry sent more than \(size) bytes")
                }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                do {
                    try handle.write(contentsOf: Data(chunk.readableBytesView))
                } catch {
                    throw RegistryError(.io, "cannot write \(path): \(error)", cause: error)
                }
                reporter.update(done)
            }
            let actual = SHA256Digest.string(hasher.finalize())
            guard actual == digest else { throw RegistryError(.invalidDigest, "digest mismatch for \(digest): got \(actual)") }
            if let size, done != size {
                throw RegistryError(.invalidDigest, "size mismatch for \(digest): got \(done) bytes, expected \(size)")
            }
            reporter.finish(done)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Whether the repository has a blob: `HEAD /v2/<repository>/blobs/<digest>`. Asks for pull and push
    /// access, as this is how a push starts (token servers grant what the credentials allow, so this also
    /// works with read-only access).
    public func blobExists(registry host: String, repository: String, digest: String, credentials: RegistryCredentials?) async throws -> Bool {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try SHA256Digest.validate(digest)
        let operation = RegistryOperation(
            endpoint: endpoint, access: .push, repository: repository, scopes: [RegistryOperation.pushScope(repository)],
            credentials: credentials, subject: "blob \(digest) in \(endpoint.displayName(repository))")
        var request = HTTPClientRequest(url: endpoint.url(repository, "blobs/" + digest))
        request.method = .HEAD
        let response = try await perform(request, operation, expecting: [200, 404])
        await discard(response)
        return response.status == .ok
    }

    /// Asks the registry to link a blob it holds in `sourceRepository` into `repository`:
    /// `POST /v2/<repository>/blobs/uploads/?mount=<digest>&from=<source>`.
    ///
    /// - Returns: true when mounted (201); false when the registry declined and started an upload
    ///   instead (202), which is then cancelled: the caller uploads the blob.
    public func mountBlob(
        registry host: String, repository: String, digest: String, from sourceRepository: String, credentials: RegistryCredentials?
    ) async throws -> Bool {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try RegistryNames.validate(repository: sourceRepository)
        try SHA256Digest.validate(digest)
        let operation = RegistryOperation(
            endpoint: endpoint, access: .push, repository: repository,
            scopes: [RegistryOperation.pushScope(repository), RegistryOperation.pullScope(sourceRepository)],
            credentials: credentials, subject: "blob \(digest) in \(endpoint.displayName(repository))")
        var request = HTTPClientRequest(
            url: Self.appendingQuery(endpoint.url(repository, "blobs/uploads/"), [("mount", digest), ("from", sourceRepository)]))
        request.method = .POST
        request.body = .bytes([])
        let response = try await perform(request, operation, expecting: [201, 202])
        await discard(response)
        if response.status == .created { return true }
        if let location = response.headers.first(name: "Location"), let url = Self.resolve(location, against: request.url) {
            var cancel = HTTPClientRequest(url: url)
            cancel.method = .DELETE
            if let answer = try? await send(cancel, operation, deadline: .now() + Self.requestTimeout) { await discard(answer) }
        }
        return false
    }

    /// Uploads a blob from a file in one piece: `POST /v2/<repository>/blobs/uploads/`, then `PUT` to the
    /// `Location` it answers (absolute or relative) with `digest=` added and the file as the body.
    ///
    /// - Parameters:
    ///   - size: The blob's size; the file must have exactly this many bytes.
    ///   - progress: Called with the bytes sent so far, at most every 100 ms and once at the end.
    /// - Throws: `RegistryError`: `.invalidDigest` when the registry finds the content does not match
    ///   `digest`; `.unauthorized`, `.unavailable`, `.io`, `.invalidArgument` for a file of another size.
    public func uploadBlob(
        registry host: String, repository: String, digest: String, size: Int64, fromFileAt path: String,
        credentials: RegistryCredentials?, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws {
        let endpoint = try endpoint(host)
        try RegistryNames.validate(repository: repository)
        try SHA256Digest.validate(digest)
        let fileSize: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            fileSize = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        } catch {
            throw RegistryError(.io, "cannot read \(path): \(error)", cause: error)
        }
        guard fileSize == size else {
            throw RegistryError(.invalidArgument, "\(path) has \(fileSize) bytes, but blob \(digest) has \(size)")
        }
        let operation = RegistryOperation(
            endpoint: endpoint, access: .push, repository: repository, scopes: [RegistryOperation.pushScope(repository)],
            credentials: credentials, subject: "blob \(digest) in \(endpoint.displayName(repository))")
        var start = HTTPClientRequest(url: endpoint.url(repository, "blobs/uploads/"))
        start.method = .POST
        start.body = .bytes([])
        let started = try await perform(start, operation, expecting: [202])
        await discard(started)
        guard let location = started.headers.first(name: "Location"), let uploadURL = Self.resolve(location, against: start.url) else {
            throw RegistryError(.protocolError, "registry \(host) started an upload for \(digest) without a usable Location")
        }
        var put = HTTPClientRequest(url: Self.appendingQuery(uploadURL, [("digest", digest)]))
        put.method = .PUT
        put.headers.add(name: "Content-Type", value: "application/octet-stream")
        put.body = .stream(FileChunks(path: path, progress: progress), length: .known(size))
        let response = try await perform(put, operation, expecting: [201, 204], deadline: .distantFuture)
        await discard(response)
        logger.debug("upload blob", metadata: ["registry": "\(host)", "repository": "\(repository)", "digest": "\(digest)", "size": "\(size)"])
    }
}
