import NIOCore
import NIOHTTP1

/// The fast path of a connection: answers the requests its responder can answer at once
/// (``HTTPResponder/immediateResponse(to:)``), on the event loop, until the connection carries any other.
///
/// It is the first handler from the socket: it reads the raw bytes before the HTTP codec does and writes
/// the encoded response straight back, so such a request costs no decoding, no task and no hop to the
/// connection's task. The first bytes it does not answer as a whole (another request, a partial or
/// pipelined head, anything that is not an ``ImmediateRequest``) switch it to passing every byte on to the
/// codec for the rest of the connection: answers therefore never overtake one another. The docker CLI's
/// first request on a connection is `HEAD /_ping`; a load generator's connection may carry pings only.
///
/// While the server shuts down it answers nothing, so ``HTTPConnection`` closes the connection.
final class ImmediateResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: any HTTPResponder
    private let registry: ConnectionRegistry
    private let timer: ConnectionTimer
    private var passing = false
    /// Whether bytes went on to the codec in the current read cycle.
    private var forwarded = false

    init(responder: any HTTPResponder, registry: ConnectionRegistry, timer: ConnectionTimer) {
        self.responder = responder
        self.registry = registry
        self.timer = timer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.passing else {
            self.forwarded = true
            context.fireChannelRead(data)
            return
        }
        var buffer = Self.unwrapInboundIn(data)
        var answered = false
        while buffer.readableBytes > 0 {
            guard let response = self.answer(&buffer) else {
                self.passing = true
                break
            }
            context.write(Self.wrapOutboundOut(response), promise: nil)
            answered = true
        }
        if answered {
            context.flush()
            if buffer.readableBytes == 0 {
                self.timer.answeredWithoutCodec()
            }
        }
        if buffer.readableBytes > 0 {
            self.forwarded = true
            context.fireChannelRead(Self.wrapInboundOut(buffer))
        }
    }

    /// Ends a read cycle for the handlers behind this one only when they were given something in it.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard self.forwarded else { return }
        self.forwarded = false
        context.fireChannelReadComplete()
    }

    /// The encoded response to the request at the start of `buffer`, which is then consumed; nil, with
    /// `buffer` untouched, when the request is not answered here.
    private func answer(_ buffer: inout ByteBuffer) -> ByteBuffer? {
        guard !self.registry.isShuttingDown,
            let request = buffer.withUnsafeReadableBytes(ImmediateRequest.parse),
            let response = self.responder.immediateResponse(to: HTTPRequest(method: request.method, uri: request.uri))
        else { return nil }
        buffer.moveReaderIndex(forwardBy: request.length)
        return response.bytes(for: request.method)
    }
}

@available(*, unavailable)
extension ImmediateResponseHandler: Sendable {}
