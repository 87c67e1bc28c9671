import NIOCore
import NIOHTTP1

/// Reading request bodies: into memory, into a spool file, or away.
extension HTTPConnection {
    /// How reading a request body ended.
    enum BodyOutcome {
        /// The whole body was read (`.end` arrived).
        case complete
        /// The connection ended before the body did.
        case peerClosed
        /// The body grew past the limit; the rest is unread.
        case tooLarge
        /// The spool file could not be written; the rest is unread.
        case storeFailed(any Error)
    }

    /// Reads the body into `body`, up to `limit` bytes; the first part's buffer is kept rather than copied.
    static func collectBody(
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        into body: inout ByteBuffer,
        limit: Int64
    ) async throws -> BodyOutcome {
        var collected: ByteBuffer?
        while true {
            guard let part = try await parts.next() else { return .peerClosed }
            switch part {
            case .head:
                throw HTTPConnectionError.unexpectedPart
            case .body(var chunk):
                guard Int64((collected?.readableBytes ?? 0) + chunk.readableBytes) <= limit else {
                    return .tooLarge
                }
                collected.setOrWriteBuffer(&chunk)
            case .end:
                body = collected ?? ByteBuffer()
                return .complete
            }
        }
    }

    /// Writes the body to `file`, up to `limit` bytes, and closes the file once it is complete. The
    /// connection reads the next part only once the previous one is handed to the file.
    static func spoolBody(
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        into file: SpoolFile,
        limit: Int64
    ) async throws -> BodyOutcome {
        while true {
            guard let part = try await parts.next() else { return .peerClosed }
            do {
                switch part {
                case .head:
                    throw HTTPConnectionError.unexpectedPart
                case .body(let chunk):
                    guard file.size + Int64(chunk.readableBytes) <= limit else {
                        return .tooLarge
                    }
                    try await file.append(chunk)
                case .end:
                    try await file.finish()
                    return .complete
                }
            } catch let error as SpoolFileError {
                return .storeFailed(error)
            }
        }
    }

    /// Ends a connection after an early answer (a 413, a 507), while the client may still be sending its
    /// body: a lingering close, as nginx and Go make it. Closing with unread bytes would make the kernel
    /// reset the connection, and a reset can overtake the answer before the client has read it. So the
    /// write side is shut down once the answer is out (the client reads the answer, then its end), and what
    /// the client still sends is read and dropped until the body ends or the client closes, for at most
    /// ``lingerTime`` and ``lingerBytes``; the caller then closes the connection.
    func linger(parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator) async {
        let channel = self.channel.channel
        // Ends the reads below (and a half-close whose answer the client never takes) at the deadline.
        let deadline = channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        do {
            try await channel.close(mode: .output)
        } catch {
            return
        }
        var discarded = 0
        while discarded <= Self.lingerBytes, let part = try? await parts.next() {
            switch part {
            case .body(let chunk): discarded += chunk.readableBytes
            case .end: return
            case .head: continue
            }
        }
    }
}
