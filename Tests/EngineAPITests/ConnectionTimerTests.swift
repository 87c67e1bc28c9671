#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import EngineAPI

@Suite("Connection timeouts: the state machine")
struct ConnectionTimeoutStateTests {
    @Test func aNewConnectionWaitsForItsHeadUnderTheHeadTimer() {
        var state = ConnectionTimeoutState()
        #expect(state.start() == .start(.head))
        // Bytes trickling in never restart the head timer.
        #expect(state.bytesArrived() == .none)
        #expect(state.headArrived() == .cancel)
    }

    @Test func nothingIsTimedWhileRequestsAreUnanswered() {
        var state = ConnectionTimeoutState()
        _ = state.start()
        #expect(state.headArrived() == .cancel)
        // A pipelined second request, then body bytes: still busy.
        #expect(state.headArrived() == .none)
        #expect(state.bytesArrived() == .none)
        #expect(state.responseEnded() == .none)
        #expect(state.responseEnded() == .start(.idle))
        #expect(state.bytesArrived() == .start(.head))
        #expect(state.bytesArrived() == .none)
    }

    @Test func requestsAnsweredWithoutTheCodecLeaveTheConnectionIdle() {
        var state = ConnectionTimeoutState()
        _ = state.start()
        #expect(state.answeredWithoutCodec() == .start(.idle))
        #expect(state.answeredWithoutCodec() == .none)
        #expect(state.bytesArrived() == .start(.head))
    }

    @Test func aStoppedConnectionIsNeverTimedAgain() {
        var state = ConnectionTimeoutState()
        _ = state.start()
        _ = state.headArrived()
        #expect(state.stop() == .cancel)
        #expect(state.responseEnded() == .none)
        #expect(state.bytesArrived() == .none)
        #expect(state.headArrived() == .none)
    }
}

@Suite("Connection timeouts: the pipeline")
struct ConnectionTimerPipelineTests {
    static let limits = ConnectionLimits(readHeaderTimeout: .seconds(5), idleTimeout: .seconds(30), maxConnections: 10)

    /// A connection with the timer's two halves around the HTTP codec, as ``HTTPPipeline`` builds it.
    func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let timer = ConnectionTimer(limits: Self.limits)
        try channel.pipeline.syncOperations.addHandlers([
            RequestBytesWatcher(timer: timer),
            HTTPResponseEncoder(),
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
            RequestCycleWatcher(timer: timer),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    func advance(_ channel: EmbeddedChannel, by seconds: Int64) {
        channel.embeddedEventLoop.advanceTime(by: .seconds(seconds))
    }

    @Test func halfAHeaderIsCutOffAfterTheHeadTimeout() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET /containers/json HTTP/1.1\r\nHost: x\r\n"))
        self.advance(channel, by: 4)
        try channel.writeInbound(ByteBuffer(string: "X-Slow: 1\r\n"))
        #expect(channel.isActive)
        self.advance(channel, by: 1)
        #expect(!channel.isActive)
    }

    @Test func aSilentNewConnectionIsCutOffAfterTheHeadTimeout() throws {
        let channel = try self.makeChannel()
        self.advance(channel, by: 5)
        #expect(!channel.isActive)
    }

    @Test func aLongResponseIsNeverCutAndTheIdleTimerStartsAfterIt() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET /events HTTP/1.1\r\nHost: x\r\n\r\n"))
        let head = try channel.readInbound(as: HTTPServerRequestPart.self)
        guard case .head = head else {
            Issue.record("expected a head, got \(String(describing: head))")
            return
        }
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        // An hour of streaming: no timer runs.
        self.advance(channel, by: 3600)
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        self.advance(channel, by: 29)
        #expect(channel.isActive)
        self.advance(channel, by: 1)
        #expect(!channel.isActive)
    }

    @Test func theNextRequestOnAKeptAliveConnectionGetsTheHeadTimer() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        self.advance(channel, by: 20)
        try channel.writeInbound(ByteBuffer(string: "GET /b HTTP/1.1\r\n"))
        self.advance(channel, by: 4)
        #expect(channel.isActive)
        self.advance(channel, by: 1)
        #expect(!channel.isActive)
    }

    @Test func aHijackedConnectionIsNeverTimedOut() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "POST /containers/x/attach HTTP/1.1\r\nHost: x\r\nUpgrade: tcp\r\n\r\n"))
        try channel.pipeline.syncOperations.removeHandler(try channel.pipeline.syncOperations.handler(type: RequestBytesWatcher.self)).wait()
        self.advance(channel, by: 36000)
        #expect(channel.isActive)
    }
}

@Suite("Plain HTTP to a TLS listener")
struct PlainHTTPRefusalTests {
    @Test func anHTTPRequestGetsGosAnswerAndTheConnectionCloses() throws {
        let channel = EmbeddedChannel(handler: PlainHTTPRefusal())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET /_ping HTTP/1.1\r\n\r\n"))
        let answer = try channel.readOutbound(as: ByteBuffer.self)
        #expect(answer.map { String(buffer: $0) } == PlainHTTPRefusal.answer)
        #expect(!channel.isActive)
    }

    @Test func aTLSHandshakeGoesOnAndTheHandlerLeaves() throws {
        let channel = EmbeddedChannel(handler: PlainHTTPRefusal())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(bytes: [0x16, 0x03, 0x01]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0x16, 0x03, 0x01]))
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: PlainHTTPRefusal.self) }
        #expect(channel.isActive)
    }
}

@Suite("Connections over the cap")
struct ConnectionRefusalTests {
    @Test func theyAreAnswered503AndClosedOnceActive() throws {
        let channel = EmbeddedChannel(handler: ConnectionRefusal())
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let answer = try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } ?? ""
        #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(answer.hasSuffix(#"{"message":"too many open connections to the API: try again later"}"# + "\n"))
        #expect(!channel.isActive)
    }
}

@Suite("Listen addresses")
struct ListenAddressLocalityTests {
    @Test func loopbackAndUnixAreLocalOnly() {
        #expect(ListenAddress.tcp(host: "127.0.0.1", port: 2375).isLocalOnly)
        #expect(ListenAddress.tcp(host: "127.3.4.5", port: 2375).isLocalOnly)
        #expect(ListenAddress.tcp(host: "::1", port: 2375).isLocalOnly)
        #expect(ListenAddress.tcp(host: "::ffff:127.0.0.1", port: 2375).isLocalOnly)
        #expect(ListenAddress.tcp(host: "localhost", port: 2375).isLocalOnly)
        #expect(ListenAddress.unix(path: "/run/x.sock", mode: 0o660).isLocalOnly)
        #expect(!ListenAddress.tcp(host: "0.0.0.0", port: 2375).isLocalOnly)
        #expect(!ListenAddress.tcp(host: "::", port: 2375).isLocalOnly)
        #expect(!ListenAddress.tcp(host: "10.1.2.3", port: 2375).isLocalOnly)
        #expect(!ListenAddress.tcp(host: "docker.example", port: 2375).isLocalOnly)
    }

    /// Inherited sockets (`fd://`) are told apart by what they are bound to.
    @Test func inheritedSocketsAreReadFromTheKernel() throws {
        func bound(_ family: Int32, _ address: String) -> Int32 {
            let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            _ = inet_pton(AF_INET, address, &storage.sin_addr)
            _ = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            return fd
        }
        let loopback = bound(AF_INET, "127.0.0.1")
        let any = bound(AF_INET, "0.0.0.0")
        let unix = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { _ = [loopback, any, unix].map { close($0) } }
        #expect(ListenAddress.fd(loopback).isTCP && ListenAddress.fd(loopback).isLocalOnly)
        #expect(ListenAddress.fd(any).isTCP && !ListenAddress.fd(any).isLocalOnly)
        #expect(!ListenAddress.fd(unix).isTCP && ListenAddress.fd(unix).isLocalOnly)
    }
}
