import NIOCore
import NIOHTTP1

/// A response produced by an ``HTTPResponder``.
///
/// The server frames the body itself: `.bytes` gets a `Content-Length`, `.stream` uses chunked transfer
/// encoding (or, when the responder set a `Content-Length`, exactly that many bytes). It also manages the
/// `Connection` header: a responder may set `Connection: close` to end the connection after this response.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    /// How the body is produced.
    ///
    /// A later `upgrade` case (the `101 UPGRADED` hijack of attach and exec) would hand the raw connection
    /// to a closure; see ``HTTPConnection``.
    public enum Body: Sendable {
        /// The whole body; the server sets `Content-Length` (for `HEAD`, a `Content-Length` the responder
        /// set is kept so it can describe the `GET` body without building it).
        case bytes(ByteBuffer)
        /// A body written while the response is in progress, chunk by chunk. The head is flushed before
        /// the closure starts and each write is flushed at once. The closure's task is cancelled when the
        /// client disconnects or the server shuts down; once the closure returns the body is terminated,
        /// while a thrown error aborts the connection so the client sees a truncated body.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: Body = .bytes(ByteBuffer())) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
