import Logging
import NIOCore
import NIOPosix

/// Relays a query to upstream nameservers in turn, each from a fresh ephemeral UDP socket, and returns the
/// first reply that comes from the nameserver asked and carries the query's ID. It neither caches nor
/// retries a nameserver: the client retries the whole query.
struct DNSForwarder: Sendable {
    /// Room for any UDP reply, whatever EDNS size the client advertised.
    static let maxReplySize = 65_536

    let group: any EventLoopGroup
    /// How long each nameserver has to answer before the next is tried.
    let timeout: TimeAmount

    /// The reply of the first of `upstreams` to answer, or nil when none does.
    func forward(_ query: [UInt8], id: UInt16, to upstreams: [SocketAddress], logger: Logger) async -> [UInt8]? {
        for upstream in upstreams {
            guard !Task.isCancelled else { return nil }
            do {
                return try await exchange(query, id: id, with: upstream)
            } catch {
                logger.debug("get no reply from dns upstream", metadata: ["upstream": "\(upstream)", "error": "\(error)"])
            }
        }
        return nil
    }

    /// A nameserver given as "ip" (port 53), "ip:port" or "[ipv6]:port"; nil when the text is none of those.
    static func upstreamAddress(_ text: String) -> SocketAddress? {
        var host = Substring(text)
        var port = 53
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let explicit = Int(rest.dropFirst()) else { return nil }
                port = explicit
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let explicit = Int(host[host.index(after: colon)...]) else { return nil }
            port = explicit
            host = host[..<colon]
        }
        guard (1...65_535).contains(port) else { return nil }
        return try? SocketAddress(ipAddress: String(host), port: port)
    }

    private func exchange(_ query: [UInt8], id: UInt16, with upstream: SocketAddress) async throws -> [UInt8] {
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.maxReplySize))
            .bind(host: upstream.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
            .get()
        let eventLoop = channel.eventLoop
        let reply = eventLoop.makePromise(of: [UInt8].self)
        let deadline = eventLoop.scheduleTask(in: timeout) { reply.fail(UpstreamTimeout()) }
        reply.futureResult.whenComplete { _ in
            deadline.cancel()
            channel.close(promise: nil)
        }
        eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.addHandler(UpstreamReplyHandler(upstream: upstream, queryID: id, reply: reply))
                channel.writeAndFlush(AddressedEnvelope(remoteAddress: upstream, data: ByteBuffer(bytes: query)))
                    .cascadeFailure(to: reply)
            } catch {
                reply.fail(error)
            }
        }
        return try await withTaskCancellationHandler {
            try await reply.futureResult.get()
        } onCancel: {
            reply.fail(CancellationError())
        }
    }
}

private struct UpstreamTimeout: Error {}

/// Completes `reply` with the first datagram from `upstream` that is a response to the query `queryID`;
/// ignores anything else arriving on the ephemeral socket.
private final class UpstreamReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let upstream: SocketAddress
    private let queryID: UInt16
    private let reply: EventLoopPromise<[UInt8]>

    init(upstream: SocketAddress, queryID: UInt16, reply: EventLoopPromise<[UInt8]>) {
        self.upstream = upstream
        self.queryID = queryID
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        let message = envelope.data
        guard envelope.remoteAddress == upstream,
            message.getInteger(at: message.readerIndex, as: UInt16.self) == queryID,
            let flags = message.getInteger(at: message.readerIndex + 2, as: UInt16.self), flags & 0x8000 != 0
        else { return }
        reply.succeed(Array(buffer: message))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reply.fail(error)
    }
}
