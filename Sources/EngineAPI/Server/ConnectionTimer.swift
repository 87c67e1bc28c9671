import NIOCore
import NIOHTTP1

/// The head and idle timers of one connection (``ConnectionLimits``): runs what
/// ``ConnectionTimeoutState`` decides and closes the connection when a timer fires.
///
/// Two handlers feed it, because no single place in the pipeline sees all it needs: ``RequestBytesWatcher``,
/// in front of the codec, sees the first byte of a request; ``RequestCycleWatcher``, behind it, sees complete
/// request heads and the end of each response (once written to the socket, so a slow reader of a large
/// response is not idle). ``ImmediateResponseHandler`` reports the requests it answers itself. Confined to
/// the connection's event loop.
final class ConnectionTimer {
    private let limits: ConnectionLimits
    private var state = ConnectionTimeoutState()
    private var scheduled: Scheduled<Void>?
    private weak var channel: (any Channel)?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// The connection is open; called on its event loop.
    func start(_ channel: any Channel) {
        self.channel = channel
        self.run(self.state.start())
    }

    func bytesArrived() { self.run(self.state.bytesArrived()) }
    func headArrived() { self.run(self.state.headArrived()) }
    func responseEnded() { self.run(self.state.responseEnded()) }
    func answeredWithoutCodec() { self.run(self.state.answeredWithoutCodec()) }
    func stop() { self.run(self.state.stop()) }

    private func run(_ action: ConnectionTimeoutState.Action) {
        switch action {
        case .none:
            return
        case .cancel:
            self.scheduled?.cancel()
            self.scheduled = nil
        case .start(let timer):
            self.scheduled?.cancel()
            guard let channel = self.channel else { return }
            let timeout = timer == .head ? self.limits.readHeaderTimeout : self.limits.idleTimeout
            self.scheduled = channel.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                channel.close(promise: nil)
            }
        }
    }
}

/// The front half of a ``ConnectionTimer``: tells it when bytes arrive, passing them on untouched. It stops
/// the timer when it leaves the pipeline (a hijack) or the connection closes.
final class RequestBytesWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timer: ConnectionTimer

    init(timer: ConnectionTimer) {
        self.timer = timer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.timer.start(context.channel)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.timer.start(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.timer.bytesArrived()
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer.stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer.stop()
    }
}

/// The back half of a ``ConnectionTimer``: tells it of each decoded request head and of each response
/// end once it is written.
final class RequestCycleWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timer: ConnectionTimer

    init(timer: ConnectionTimer) {
        self.timer = timer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = Self.unwrapInboundIn(data) {
            self.timer.headArrived()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = Self.unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let written = promise ?? context.eventLoop.makePromise()
        let timer = self.timer
        written.futureResult.assumeIsolated().whenSuccess { timer.responseEnded() }
        context.write(data, promise: written)
    }
}

@available(*, unavailable)
extension ConnectionTimer: Sendable {}

@available(*, unavailable)
extension RequestBytesWatcher: Sendable {}

@available(*, unavailable)
extension RequestCycleWatcher: Sendable {}
