#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import NIOCore
import NIOPosix

/// berthd's DNS server for user-defined networks, like dockerd's 127.0.0.11 resolver or podman's
/// aardvark-dns: one UDP socket per network, on the network's gateway address, which the network's
/// containers have as their nameserver. Each query becomes a `DNSLookup`, and the owner's answer decides:
/// a container's name is answered here (TTL 600); any other is relayed unchanged to the upstream
/// nameservers the answer names, and the first reply relayed back (SERVFAIL when none replies).
///
/// It serves no TCP, caches nothing and knows no names itself. Queries on one socket are answered
/// concurrently, so a slow upstream delays only the queries it was sent; forwards beyond
/// `concurrentForwardLimit` get SERVFAIL at once, so they never take all of `concurrentQueryLimit`.
actor EmbeddedResolver {
    /// Queries one socket answers at once; more wait in the socket's receive buffer.
    static let concurrentQueryLimit = 1024
    /// Queries one socket forwards at once (dockerd allows 1024 over all its networks).
    static let concurrentForwardLimit = 256

    private typealias DatagramChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    private struct Listener {
        let channel: any Channel
        let port: Int
        let serving: Task<Void, Never>
    }

    private let logger: Logger
    private let group: any EventLoopGroup
    private let forwarder: DNSForwarder
    private let lookup: @Sendable (DNSLookup) async -> DNSLookupAnswer
    private var listeners: [String: Listener] = [:]

    /// - Parameters:
    ///   - upstreamTimeout: how long each upstream nameserver has to answer a forwarded query
    ///   - lookup: decides each question; called concurrently
    init(
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        upstreamTimeout: Duration = .seconds(2),
        lookup: @escaping @Sendable (DNSLookup) async -> DNSLookupAnswer
    ) {
        self.logger = logger
        self.group = eventLoopGroup
        self.forwarder = DNSForwarder(group: eventLoopGroup, timeout: TimeAmount(upstreamTimeout))
        self.lookup = lookup
    }

    /// Starts answering on `address`:`port` and returns the bound port (the one chosen when `port` is 0).
    /// The socket binds with IP_FREEBIND, so `address` need not be on an interface yet: a bridge gets its
    /// gateway address when its first container joins. On an address already served, returns its port.
    @discardableResult
    func listen(on address: String, port: Int = 53) async throws -> Int {
        if let listener = listeners[address], listener.channel.isActive { return listener.port }
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.ipOption(.init(rawValue: IP_FREEBIND)), value: 1)
            .bind(host: address, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try DatagramChannel(wrappingChannelSynchronously: channel) }
            }
        // Another `listen` on the same address may have finished while this one was binding.
        if let listener = listeners[address], listener.channel.isActive {
            try? await channel.channel.close()
            return listener.port
        }
        guard let localAddress = channel.channel.localAddress, let boundPort = localAddress.port else {
            try? await channel.channel.close()
            throw ChannelError.unknownLocalAddress
        }
        var logger = logger
        logger[metadataKey: "address"] = "\(address)"
        logger[metadataKey: "port"] = "\(boundPort)"
        let handler = DNSQueryHandler(
            listenAddress: address, localAddress: localAddress, lookup: lookup, forwarder: forwarder,
            forwarding: ConcurrencyLimit(Self.concurrentForwardLimit), logger: logger)
        let serving = Task { await Self.serve(channel, with: handler, logger: logger) }
        listeners[address] = Listener(channel: channel.channel, port: boundPort, serving: serving)
        logger.info("listen for dns queries")
        return boundPort
    }

    /// Stops answering on `address`; queries being answered there are cancelled.
    func stopListening(on address: String) async {
        guard let listener = listeners.removeValue(forKey: address) else { return }
        listener.serving.cancel()
        try? await listener.channel.close()
        await listener.serving.value
        logger.info("stop listening for dns queries", metadata: ["address": "\(address)"])
    }

    /// Closes every socket (daemon shutdown).
    func shutdown() async {
        for address in listeners.keys {
            await stopListening(on: address)
        }
    }

    /// Answers the queries arriving on `channel` until it closes.
    private static func serve(_ channel: DatagramChannel, with handler: DNSQueryHandler, logger: Logger) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var running = 0
                    for try await query in inbound {
                        if running == concurrentQueryLimit {
                            try await group.next()
                            running -= 1
                        }
                        running += 1
                        group.addTask {
                            let source = query.remoteAddress.ipAddress ?? "\(query.remoteAddress)"
                            guard let reply = await handler.reply(to: Array(buffer: query.data), from: source) else { return }
                            do {
                                try await outbound.write(AddressedEnvelope(remoteAddress: query.remoteAddress, data: ByteBuffer(bytes: reply)))
                            } catch {
                                logger.debug("drop dns reply", metadata: ["source": "\(source)", "error": "\(error)"])
                            }
                        }
                    }
                }
            }
        } catch {
            // Cancellation is `stopListening`'s doing; anything else closed the socket under the resolver.
            if !Task.isCancelled {
                logger.error("stop answering dns queries after a socket error", metadata: ["error": "\(error)"])
            }
        }
    }
}
