import Logging
import NIOCore
import NIOPosix
import Synchronization

@testable import Networks

// Fixtures the DNS suites share.

let dnsTestLogger: Logger = {
    var logger = Logger(label: "berth.dns.tests")
    logger.logLevel = .warning
    return logger
}()

/// A query datagram for `name`, with recursion desired, and an EDNS OPT record when `ednsPayloadSize` is given.
func queryBytes(_ name: String, _ type: DNSRecordType, id: UInt16 = 0x1234, ednsPayloadSize: UInt16? = nil) throws -> [UInt8] {
    var query = DNSMessage(id: id, recursionDesired: true, questions: [DNSQuestion(name: try DNSName(name), type: type)])
    if let ednsPayloadSize {
        query.additionals = [DNSRecord(name: .root, type: .opt, recordClass: ednsPayloadSize)]
    }
    return query.encoded()
}

/// SplitMix64: the same bytes on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A one-shot event a test can wait for.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func fire() {
        continuation.finish()
    }

    func wait() async {
        for await _ in stream {}
    }
}

/// Runs `body` with a resolver answering on 127.0.0.1 at a port of the system's choice, then shuts it down.
func withResolver(
    upstreamTimeout: Duration = .seconds(2),
    lookup: @escaping @Sendable (DNSLookup) async -> DNSLookupAnswer,
    _ body: (EmbeddedResolver, Int) async throws -> Void
) async throws {
    let resolver = EmbeddedResolver(logger: dnsTestLogger, upstreamTimeout: upstreamTimeout, lookup: lookup)
    let port = try await resolver.listen(on: "127.0.0.1", port: 0)
    do {
        try await body(resolver, port)
    } catch {
        await resolver.shutdown()
        throw error
    }
    await resolver.shutdown()
}

/// Sends `query` to 127.0.0.1:`port` and reads the reply; nil when none comes within `timeout`.
/// The client is the resolver's own forwarder, which takes only a reply from that address with the query's ID.
func ask(_ query: [UInt8], port: Int, timeout: TimeAmount = .seconds(20)) async throws -> DNSMessage? {
    let client = DNSForwarder(group: MultiThreadedEventLoopGroup.singleton, timeout: timeout)
    let id = UInt16(query[0]) << 8 | UInt16(query[1])
    guard let reply = await client.forward(query, id: id, to: [try SocketAddress(ipAddress: "127.0.0.1", port: port)], logger: dnsTestLogger)
    else { return nil }
    return try DNSMessage(bytes: reply)
}

/// A UDP socket on loopback that reads queries and never replies.
struct SilentUpstream {
    private let channel: any Channel
    private let counter = QueryCounter()

    init() async throws {
        let counter = counter
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var address: String {
        "127.0.0.1:\(channel.localAddress?.port ?? 0)"
    }

    /// Closes the socket and returns how many queries it read.
    @discardableResult
    func close() async -> Int {
        try? await channel.close()
        return counter.count.load(ordering: .relaxed)
    }

    private final class QueryCounter: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let count = Atomic(0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            count.add(1, ordering: .relaxed)
        }
    }
}
