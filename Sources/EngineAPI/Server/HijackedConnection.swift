import NIOCore
import NIOHTTP1
import Synchronization

/// The raw connection a hijacking response hands to its closure (``HTTPResponse/Body/upgrade(_:)``): what
/// `POST /containers/{id}/attach` and `POST /exec/{id}/start` use to carry stdin, stdout and stderr once the
/// server has answered `HTTP/1.1 101 UPGRADED`.
///
/// Reading: ``inbound`` yields the bytes the client sends after its request, in order, beginning with those
/// that arrived together with the request (the docker CLI may send stdin before it starts the container).
/// It ends when the client shuts down its write side (the docker CLI's `CloseWrite` at stdin EOF) or closes
/// the connection; on a tcp connection the two look the same, on a unix socket a full close also cancels
/// the closure. Writing still works after the inbound end. Read ``inbound`` to its end even when its bytes are
/// not needed: while they are left unread the server stops reading the socket, and with it stops noticing
/// that the client went away.
///
/// Writing: ``write(_:)`` sends bytes as they are, and flushes them.
///
/// What it does not do: framing (the multiplexed stdout/stderr frames of a non-TTY stream are the caller's),
/// closing one direction, or closing the connection: the server closes it, after flushing what was written,
/// once the closure returns.
public struct HijackedConnection: Sendable {
    /// The bytes the client sends; it can be iterated once (a second iterator ends at once).
    public let inbound: Inbound
    private let writer: ResponseBodyWriter

    init(
        parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) {
        self.inbound = Inbound(source: Inbound.Source(parts))
        self.writer = ResponseBodyWriter(outbound: outbound)
    }

    /// Sends `bytes` to the client and flushes them; an empty buffer is ignored.
    ///
    /// It waits while the client is not reading fast enough, and throws once the client has disconnected,
    /// the closure's task is cancelled, or the closure has returned.
    public func write(_ bytes: ByteBuffer) async throws {
        try await self.writer.write(bytes)
    }

    /// Makes later writes throw; called by the connection once the closure has returned.
    func close() {
        self.writer.close()
    }
}

extension HijackedConnection {
    /// The bytes a client sends on a hijacked connection, as they arrive.
    ///
    /// The iterator throws `CancellationError` when its task is cancelled, and an error when the connection
    /// fails.
    public struct Inbound: AsyncSequence, Sendable {
        public typealias Element = ByteBuffer

        private let source: Source

        fileprivate init(source: Source) {
            self.source = source
        }

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(parts: self.source.take())
        }

        public struct AsyncIterator: AsyncIteratorProtocol {
            private var parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator?

            fileprivate init(parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator?) {
                self.parts = parts
            }

            public mutating func next() async throws -> ByteBuffer? {
                // After the hijack every part is a body part; a request the client pipelined behind one
                // without `Upgrade` (its head and end) is skipped.
                while let part = try await self.parts?.next() {
                    if case .body(let bytes) = part, bytes.readableBytes > 0 {
                        return bytes
                    }
                }
                self.parts = nil
                return nil
            }
        }

        /// Hands the connection's request parts to the first iterator made.
        fileprivate final class Source: @unchecked Sendable {
            // Unchecked: `parts` is set in `init` and then read and cleared once, by the caller that set `taken`.
            private var parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator?
            private let taken = Atomic<Bool>(false)

            init(_ parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator) {
                self.parts = parts
            }

            func take() -> NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator? {
                guard !self.taken.exchange(true, ordering: .acquiringAndReleasing) else { return nil }
                defer { self.parts = nil }
                return self.parts
            }
        }
    }
}
