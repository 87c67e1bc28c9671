import NIOCore
import NIOHTTP1

/// A response produced by an ``HTTPResponder``.
///
/// The server frames the body itself: `.bytes` gets a `Content-Length`, `.stream` uses chunked transfer
/// encoding (or, when the responder set a `Content-Length`, exactly that many bytes), `.upgrade` has no
/// framing at all. It also manages the `Connection` header: a responder may set `Connection: close` to end
/// the connection after this response.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    /// How the body is produced.
    public enum Body: Sendable {
        /// The whole body; the server sets `Content-Length` (for `HEAD`, a `Content-Length` the responder
        /// set is kept so it can describe the `GET` body without building it).
        case bytes(ByteBuffer)
        /// A body written while the response is in progress, chunk by chunk. The head is flushed before
        /// the closure starts and each write is flushed at once. The closure's task is cancelled when the
        /// client disconnects or the server shuts down; once the closure returns the body is terminated,
        /// while a thrown error aborts the connection so the client sees a truncated body.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
        /// The hijack of attach and exec start: the response head, then the connection as a raw
        /// bidirectional byte stream handed to the closure (see ``HijackedConnection``).
        ///
        /// The server writes the head the way dockerd does, whatever the response's status: to a request
        /// with an `Upgrade` header (the docker CLI sends `Connection: Upgrade` and `Upgrade: tcp`), exactly
        /// `HTTP/1.1 101 UPGRADED` with the response's headers and `Connection: Upgrade`, `Upgrade: tcp`;
        /// to one without, `HTTP/1.1 200 OK` with the response's headers, and the connection is hijacked
        /// all the same. A `Content-Length`, `Transfer-Encoding`, `Connection` or `Upgrade` header of the
        /// response is left out. The head is flushed before the closure starts, so a client waiting for it
        /// before it sends another request (docker's start after attach) is not held up.
        ///
        /// Like a stream's producer, the closure's task is cancelled when the connection closes or the
        /// server shuts down (a client that closes a tcp connection looks like one that half-closes it, so
        /// that is only noticed when a write fails; see ``HijackedConnection``). Once the closure returns
        /// or throws, the server flushes what was written and closes the connection: there is no
        /// keep-alive after a hijack.
        case upgrade(@Sendable (HijackedConnection) async throws -> Void)
    }

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: Body = .bytes(ByteBuffer())) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
