import NIOCore
import NIOHTTP1

/// The channel handlers of an accepted connection: TLS on a TLS listener, the HTTP/1.1 codec with the
/// connection's head and idle timers (``ConnectionTimer``), and the codec's replacement by a raw byte pipe
/// when a response hijacks the connection (``HTTPResponse/Body/upgrade(_:)``).
///
/// The HTTP pipeline holds what NIO's `configureHTTPServerPipeline` would add, built by hand for one reason:
/// the request decoder must forward, not drop, the bytes it has buffered behind an upgrade request (the
/// docker CLI may send stdin right after the attach request). In order, from the socket: the response
/// encoder, the request decoder, the response-header validator and the protocol error handler (which answers
/// malformed requests with 400; the decoder then closes the connection). In front of them all, the
/// ``ImmediateResponseHandler`` answers the requests that need no codec while a connection carries only
/// those. Unlike NIO's helper it does not tell
/// the encoder which requests were `HEAD`; ``HTTPConnection`` writes no body for those itself.
///
/// Pipelining assistance is off on purpose: NIO's `HTTPServerPipelineHandler` stops reading while a response
/// is in flight, so a client closing during a long stream (docker events) would go unnoticed.
/// ``HTTPConnection`` reads requests one at a time instead, which also answers pipelined requests in order.
///
/// Either way the last handler is the one of the connection's `NIOAsyncChannel`, which reads
/// `HTTPServerRequestPart`s and writes `HTTPServerResponsePart`s; after a hijack, ``RawBytesHandler`` keeps
/// those types on a connection that carries raw bytes.
enum HTTPPipeline {
    /// Adds the HTTP/1.1 server handlers behind `immediate`, the fast path, and the two halves of the
    /// connection's `timer` around the codec; under them, when given, the TLS handlers. On the channel's
    /// event loop.
    static func configure(_ channel: any Channel, tls: ServerTLS?, timer: ConnectionTimer, immediate: ImmediateResponseHandler) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls {
            try pipeline.addHandlers(tls.handlers())
        }
        try pipeline.addHandlers([
            RequestBytesWatcher(timer: timer),
            immediate,
            HTTPResponseEncoder(),
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
            NIOHTTPResponseHeadersValidator(),
            HTTPServerProtocolErrorHandler(),
            RequestCycleWatcher(timer: timer),
        ])
    }

    /// Turns the connection into a raw byte pipe and then writes `head` (the response head, already encoded)
    /// on it; the future completes once `head` is written.
    ///
    /// One event-loop step removes the HTTP handlers, inserts a ``RawBytesHandler`` and allows remote
    /// half-closure (the docker CLI shuts down its write side when stdin ends, and still reads the output).
    /// The decoder's removal completes in the next step: it then hands the bytes it held back after the
    /// request (it stops parsing behind an upgrade request) to the ``RawBytesHandler``, and only then is
    /// `head` written. So a byte the client sends after reading the head can only reach the raw pipe, never
    /// the HTTP parser. Bytes that arrive between the two steps wait in the decoder and are forwarded with
    /// the rest.
    ///
    /// Without an `Upgrade` request header the decoder does not stop parsing: a client that sends bytes
    /// before it has read the head has them parsed as HTTP (a 400, or a pipelined request that the
    /// hijacked connection skips). The docker CLI always sends `Upgrade: tcp`.
    static func hijack(_ channel: any Channel, head: ByteBuffer) -> EventLoopFuture<Void> {
        channel.eventLoop.flatSubmit {
            do {
                let pipeline = channel.pipeline.syncOperations
                try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
                let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                // These leave the pipeline at once; with the timer's halves go its timers (a hijacked
                // connection is never timed out).
                pipeline.removeHandler(try pipeline.handler(type: RequestBytesWatcher.self), promise: nil)
                pipeline.removeHandler(try pipeline.handler(type: RequestCycleWatcher.self), promise: nil)
                pipeline.removeHandler(try pipeline.handler(type: HTTPServerProtocolErrorHandler.self), promise: nil)
                pipeline.removeHandler(try pipeline.handler(type: NIOHTTPResponseHeadersValidator.self), promise: nil)
                pipeline.removeHandler(try pipeline.handler(type: HTTPResponseEncoder.self), promise: nil)
                let rawBytes = RawBytesHandler()
                try pipeline.addHandler(rawBytes, position: .after(decoder))
                let context = try pipeline.context(handler: rawBytes)
                return pipeline.removeHandler(decoder).assumeIsolated().flatMap {
                    let written = context.writeAndFlush(RawBytesHandler.wrapOutboundOut(.byteBuffer(head)))
                    // The decoder's leftovers were read outside a read cycle: deliver them to the async channel.
                    context.fireChannelReadComplete()
                    return written
                }.nonisolated()
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
    }
}

/// Carries raw bytes in the types of an HTTP connection's async channel, once the connection is hijacked:
/// inbound bytes become `HTTPServerRequestPart.body`, outbound `HTTPServerResponsePart.body` becomes bytes.
///
/// Outbound `head` and `end` have no meaning on a raw connection and are dropped (their write succeeds).
final class RawBytesHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(Self.wrapInboundOut(.body(Self.unwrapInboundIn(data))))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .body(let bytes):
            context.write(Self.wrapOutboundOut(bytes), promise: promise)
        case .head, .end:
            promise?.succeed(())
        }
    }
}

@available(*, unavailable)
extension RawBytesHandler: Sendable {}
