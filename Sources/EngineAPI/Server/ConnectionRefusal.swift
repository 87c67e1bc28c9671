import NIOCore

/// The whole pipeline of a connection over ``ConnectionLimits/maxConnections``: once the connection is
/// active it writes `503 Service Unavailable` (with Docker's JSON message) and closes, reading nothing.
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The answer, unencrypted even on a TLS listener: it tells nothing but that the server is busy.
    static let answer: String = {
        let body = #"{"message":"too many open connections to the API: try again later"}"# + "\n"
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
    }()

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.refuse(context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: Self.answer))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionRefusal: Sendable {}
