import Digests
import ContainerdAPI
import Crypto
import Foundation
import GRPCCore
import Messages

extension ContainerdChild {
    typealias ContentClient = Containerd_Services_Content_V1_Content.Client<ContainerdConnection.Transport>

    /// The bytes sent in one `Write` message (containerd accepts up to 16 MiB). Small enough that the
    /// messages gRPC holds while the stream is busy stay a few hundred KiB, not megabytes.
    static let writeChunkBytes = 1 << 17

    /// Streams the file to containerd's `Content.Write`: a stat that names the expected digest, the
    /// bytes in 1 MiB chunks, then a commit with that digest, the size and the labels.
    ///
    /// Without `expectedDigest` the file is hashed first, so that a blob already in the store is
    /// recognised before its bytes are sent: then only the given labels are set on it (its other labels
    /// stay) and containerd adds it to the lease. A digest mismatch aborts the write, so nothing is left
    /// behind.
    public func importContent(
        fromFile path: String, mediaType: String, expectedDigest: String?, labels: [String: String], lease: String?
    ) async throws -> ContentDescriptor {
        let connection = try connected()
        let size = try Self.regularFileSize(path)
        let digest: String
        if let expectedDigest {
            guard SHA256Digest.isValid(expectedDigest) else {
                throw EngineError.invalidArgument("content import \(path): expected digest \(expectedDigest) is not sha256:<64 hex>")
            }
            digest = expectedDigest
        } else {
            do {
                digest = try await SHA256Digest.ofFile(atPath: path)
            } catch {
                throw EngineError.invalidArgument("content import: cannot read \(path): \(error)")
            }
        }
        let operation = "content write \(digest)"
        let ref = "berth-import-\(UUID().uuidString.lowercased())"
        let outcome: WriteOutcome
        do {
            outcome = try await Self.stream(
                file: path, size: size, digest: digest, labels: labels, ref: ref, lease: lease, to: connection.content)
        } catch {
            await Self.abortWrite(ref, on: connection.content)
            throw EngineError.containerd(operation, error)
        }
        if let failure = outcome.failure {
            if failure.rpcCode == .alreadyExists {
                let size = try await setLabels(labels, onExisting: digest)
                return ContentDescriptor(mediaType: mediaType, digest: digest, size: size)
            }
            await Self.abortWrite(ref, on: connection.content)
            if failure.rpcCode == .failedPrecondition, outcome.receivedBytes == size, outcome.receivedDigest != digest {
                throw EngineError.invalidArgument(
                    "containerd: \(operation): \(path) has digest \(outcome.receivedDigest), expected \(digest)")
            }
            throw EngineError.containerd(operation, failure)
        }
        guard outcome.committed else {
            await Self.abortWrite(ref, on: connection.content)
            throw EngineError.internal("containerd: \(operation): the stream ended before the commit")
        }
        return ContentDescriptor(mediaType: mediaType, digest: digest, size: size)
    }

    /// Streams a blob out of containerd's `Content.Read` into a file, checking a sha256 digest on the way.
    /// The file is only created (or truncated) once containerd has started to answer.
    public func exportContent(_ digest: String, toFile path: String) async throws {
        try await call("content read \(digest)") { connection in
            try await connection.content.read(.with { $0.digest = digest }, options: ContainerdConnection.streaming) { response in
                try await Self.save(response.messages, of: digest, toFile: path)
            }
        }
    }

    public func contentInfo(_ digest: String) async throws -> ContentInfo? {
        try await callUnlessNotFound("content info \(digest)") { connection in
            let info = try await connection.content.info(.with { $0.digest = digest }, options: ContainerdConnection.unary).info
            return ContentInfo(digest: info.digest, size: info.size, labels: info.labels)
        }
    }

    public func setContentLabels(_ digest: String, labels: [String: String]) async throws {
        _ = try await call("content update \(digest)") { connection in
            try await connection.content.update(
                .with {
                    $0.info = .with { $0.digest = digest; $0.labels = labels }
                    $0.updateMask = .with { $0.paths = ["labels"] }
                },
                options: ContainerdConnection.unary)
        }
    }

    public func deleteContent(_ digest: String) async throws {
        _ = try await callUnlessNotFound("content delete \(digest)") { connection in
            try await connection.content.delete(.with { $0.digest = digest }, options: ContainerdConnection.unary)
        }
    }

    // MARK: Helpers

    /// How a `Write` stream ended.
    struct WriteOutcome: Sendable {
        /// How many bytes containerd had received at its last answer, and their digest.
        var receivedBytes: Int64 = 0
        var receivedDigest = ""
        var committed = false
        /// Why the stream failed; `nil` if it did not.
        var failure: (any Error)?
    }

    /// Runs one `Write` stream; its failure is returned with what containerd had acknowledged, not thrown.
    private static func stream(
        file path: String, size: Int64, digest: String, labels: [String: String], ref: String, lease: String?,
        to content: ContentClient
    ) async throws -> WriteOutcome {
        try await content.write(
            metadata: ContainerdConnection.metadata(lease: lease), options: ContainerdConnection.streaming,
            requestProducer: { writer in
                try await writer.write(.with { $0.action = .stat; $0.ref = ref; $0.total = size; $0.expected = digest })
                let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? file.close() }
                var offset: Int64 = 0
                while let chunk = try file.read(upToCount: Self.writeChunkBytes), !chunk.isEmpty {
                    try await writer.write(.with { $0.action = .write; $0.ref = ref; $0.offset = offset; $0.data = chunk })
                    offset += Int64(chunk.count)
                }
                // The commit carries the offset reached: containerd truncates a write whose offset is 0.
                try await writer.write(
                    .with {
                        $0.action = .commit; $0.ref = ref; $0.offset = offset; $0.total = size; $0.expected = digest
                        $0.labels = labels
                    })
            },
            onResponse: { response in
                var outcome = WriteOutcome()
                do {
                    for try await message in response.messages {
                        outcome.receivedBytes = message.offset
                        outcome.receivedDigest = message.digest
                        if message.action == .commit { outcome.committed = true }
                    }
                } catch {
                    outcome.failure = error
                }
                return outcome
            })
    }

    /// Sets `labels` on a blob that is already in the store (keeping its other labels); returns its size.
    private func setLabels(_ labels: [String: String], onExisting digest: String) async throws -> Int64 {
        if labels.isEmpty {
            return try await call("content info \(digest)") { connection in
                try await connection.content.info(.with { $0.digest = digest }, options: ContainerdConnection.unary).info.size
            }
        }
        return try await call("content update \(digest)") { connection in
            try await connection.content.update(
                .with {
                    $0.info = .with { $0.digest = digest; $0.labels = labels }
                    $0.updateMask = .with { $0.paths = labels.keys.sorted().map { "labels.\($0)" } }
                },
                options: ContainerdConnection.unary
            ).info.size
        }
    }

    /// Drops an unfinished write and its partial data. Runs to its end even if the caller was cancelled.
    private static func abortWrite(_ ref: String, on content: ContentClient) async {
        await Task {
            _ = try? await content.abort(.with { $0.ref = ref }, options: ContainerdConnection.unary)
        }.value
    }

    /// Writes the chunks of a `Read` stream to `path` and checks them against a sha256 `digest`.
    private static func save(
        _ messages: RPCAsyncSequence<Containerd_Services_Content_V1_ReadContentResponse, any Error>, of digest: String,
        toFile path: String
    ) async throws {
        var file: FileHandle?
        defer { try? file?.close() }
        var hasher = SHA256()
        var written: Int64 = 0
        for try await message in messages {
            guard message.offset == written else {
                throw EngineError.internal("containerd: content read \(digest): got bytes at \(message.offset), expected \(written)")
            }
            let handle = try file ?? createOrTruncate(path)
            file = handle
            try handle.write(contentsOf: message.data)
            hasher.update(data: message.data)
            written += Int64(message.data.count)
        }
        if file == nil { file = try createOrTruncate(path) }
        let received = SHA256Digest.string(hasher.finalize())
        if digest.hasPrefix(SHA256Digest.prefix), received != digest {
            throw EngineError.internal("containerd: content read \(digest): the bytes received have digest \(received)")
        }
    }

    private static func createOrTruncate(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EngineError.invalidArgument("content export: cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The size of a regular file; `invalidArgument` if there is none at `path`.
    private static func regularFileSize(_ path: String) throws -> Int64 {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw EngineError.invalidArgument("content import: cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else {
            throw EngineError.invalidArgument("content import: \(path) is not a regular file")
        }
        return Int64(status.st_size)
    }
}
