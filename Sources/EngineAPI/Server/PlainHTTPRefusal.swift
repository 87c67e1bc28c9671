import NIOCore

/// Answers a plain HTTP request sent to a TLS listener the way Go's TLS server (so dockerd) does:
/// `400 Bad Request` with "Client sent an HTTP request to an HTTPS server.", then closes the connection.
///
/// It sits in front of the TLS handler and looks at the first byte only: a TLS handshake record (0x16) or
/// anything that does not start like an HTTP method goes on to the TLS handler, which then refuses it, and
/// the handler removes itself.
final class PlainHTTPRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let answer = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refused else { return }
        let buffer = Self.unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        // A flushed write goes out at once on a writable socket: the answer precedes the close.
        self.refused = true
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: Self.answer)), promise: nil)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension PlainHTTPRefusal: Sendable {}
