import Logging
import NIOCore
import NIOHTTP1

/// Serves one accepted connection: reads requests one after another, hands each to the responder, writes
/// the response, and goes on while the connection is kept alive.
///
/// Everything that happens on a connection happens here, on the connection's task: the responder runs on
/// it, a streamed body's producer runs in a child task raced against the connection's
/// ``ConnectionInterrupt`` (peer closed, server shutting down). Requests are read only between responses,
/// so pipelined requests are answered in order.
///
/// Extension point for the hijack of attach and exec (`HTTP/1.1 101 UPGRADED`, then a raw bidirectional
/// byte stream): a `Body.upgrade` case would be handled in ``write(_:for:outbound:id:interrupt:)`` by
/// writing the 101 head, swapping the HTTP codec in the channel pipeline for a pass-through of raw bytes
/// (the decoder must forward, not drop, bytes it buffered after the request), enabling remote half-closure
/// (the CLI half-closes stdin), and handing `inbound`/`outbound` to the upgrade closure until it returns;
/// the connection then closes.
struct HTTPConnection: Sendable {
    /// What every connection of a server shares.
    struct Context: Sendable {
        var responder: any HTTPResponder
        var registry: ConnectionRegistry
        var maxRequestBodySize: Int
        var logger: Logger
    }

    /// How much of a too-large body is read and dropped after the 413, so the client sees the response
    /// rather than a reset connection.
    static let discardLimit = 1 << 20

    let channel: HTTPServerChannel
    let context: Context

    /// Serves requests until the peer closes, a response ends the connection, or the server shuts down.
    func run() async {
        let interrupt = ConnectionInterrupt()
        guard let id = self.context.registry.register(self.channel.channel, interrupt: interrupt) else {
            try? await self.channel.executeThenClose { _, _ in }
            return
        }
        defer { self.context.registry.remove(id) }
        self.channel.channel.closeFuture.whenComplete { _ in interrupt.fire() }

        do {
            try await self.channel.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                while self.context.registry.enter(.idle, id: id) {
                    guard let part = try await parts.next() else { return }
                    guard case .head(let head) = part else {
                        throw HTTPConnectionError.unexpectedPart
                    }
                    _ = self.context.registry.enter(.active, id: id)
                    let keepAlive = try await self.serve(
                        head,
                        parts: &parts,
                        outbound: outbound,
                        id: id,
                        interrupt: interrupt
                    )
                    guard keepAlive else { return }
                }
            }
        } catch {
            var metadata: Logger.Metadata = ["error": "\(error)"]
            if let peer = self.channel.channel.remoteAddress {
                metadata["peer"] = "\(peer)"
            }
            self.context.logger.debug("close connection after error", metadata: metadata)
        }
    }

    /// Reads the body of the request `head` started, responds, and tells whether the connection stays open.
    private func serve(
        _ head: HTTPRequestHead,
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        id: Int,
        interrupt: ConnectionInterrupt
    ) async throws -> Bool {
        let limit = self.context.maxRequestBodySize
        let declaredLength = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
        let expectsContinue =
            head.version.major == 1 && head.version.minor >= 1
            && head.headers["expect"].contains { $0.lowercased() == "100-continue" }

        if declaredLength > limit {
            try await self.writeTooLarge(head, outbound: outbound)
            if !expectsContinue {
                try await Self.discardBody(parts: &parts)
            }
            return false
        }
        if expectsContinue {
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }

        var body: ByteBuffer?
        readBody: while true {
            guard let part = try await parts.next() else { return false }
            switch part {
            case .head:
                throw HTTPConnectionError.unexpectedPart
            case .body(var chunk):
                guard (body?.readableBytes ?? 0) + chunk.readableBytes <= limit else {
                    try await self.writeTooLarge(head, outbound: outbound)
                    try await Self.discardBody(parts: &parts)
                    return false
                }
                body.setOrWriteBuffer(&chunk)
            case .end:
                break readBody
            }
        }

        let request = HTTPRequest(method: head.method, uri: head.uri, headers: head.headers, body: body ?? ByteBuffer())
        let response = await self.context.responder.respond(to: request)
        return try await self.write(response, for: head, outbound: outbound, id: id, interrupt: interrupt)
    }

    /// Writes `response` to the request `request`; returns whether the connection stays open.
    private func write(
        _ response: HTTPResponse,
        for request: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        id: Int,
        interrupt: ConnectionInterrupt
    ) async throws -> Bool {
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        var keepAlive =
            request.isKeepAlive
            && !self.context.registry.isShuttingDown
            && !response.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
        let isHead = request.method == .HEAD

        switch response.body {
        case .bytes(let body):
            if !isHead || !head.headers.contains(name: "content-length") {
                head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
            }
            head.headers.remove(name: "transfer-encoding")
            Self.setConnectionHeader(&head, keepAlive: keepAlive)
            if isHead || body.readableBytes == 0 {
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            } else {
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(body)), .end(nil)])
            }
            return keepAlive

        case .stream(let produce):
            let hasLength = head.headers.contains(name: "content-length")
            let canChunk = request.version.major > 1 || (request.version.major == 1 && request.version.minor >= 1)
            if !hasLength {
                // Without a length, an HTTP/1.0 body ends when the connection does.
                keepAlive = keepAlive && canChunk
            }
            if isHead {
                // The producer is not run. NIO before 2.101.3 would still write a chunked terminator, so
                // the connection is not reused.
                Self.setConnectionHeader(&head, keepAlive: false)
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
                return false
            }
            Self.setConnectionHeader(&head, keepAlive: keepAlive)
            // The head goes out (flushed) before the producer starts: docker's `wait` depends on it.
            try await outbound.write(.head(head))
            _ = self.context.registry.enter(.streaming, id: id)

            switch await Self.produceBody(produce, outbound: outbound, interrupt: interrupt) {
            case .success:
                try await outbound.write(.end(nil))
                return keepAlive && !interrupt.isFired
            case .failure(let error):
                if !interrupt.isFired {
                    self.context.logger.debug(
                        "abort streamed response after producer error",
                        metadata: ["uri": "\(request.uri)", "error": "\(error)"]
                    )
                }
                return false
            }
        }
    }

    private enum StreamEvent: Sendable {
        case finished(Result<Void, any Error>)
        case interrupted
    }

    /// Runs the producer in a child task until it returns, cancelling it when the interrupt fires.
    private static func produceBody(
        _ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        interrupt: ConnectionInterrupt
    ) async -> Result<Void, any Error> {
        let writer = ResponseBodyWriter(outbound: outbound)
        defer { writer.close() }
        return await withTaskGroup(of: StreamEvent.self) { group in
            group.addTask {
                do {
                    try await produce(writer)
                    return .finished(.success(()))
                } catch {
                    return .finished(.failure(error))
                }
            }
            group.addTask {
                await interrupt.wait()
                return .interrupted
            }
            var result: Result<Void, any Error> = .success(())
            while let event = await group.next() {
                if case .finished(let outcome) = event {
                    result = outcome
                }
                group.cancelAll()
            }
            return result
        }
    }

    private func writeTooLarge(
        _ request: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        let body = ByteBuffer(string: #"{"message":"request body too large"}"# + "\n")
        let head = HTTPResponseHead(
            version: request.version,
            status: .payloadTooLarge,
            headers: [
                "content-type": "application/json",
                "content-length": String(body.readableBytes),
                "connection": "close",
            ]
        )
        try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(body)), .end(nil)])
    }

    /// Reads and drops the rest of a request body, up to ``discardLimit`` bytes.
    private static func discardBody(
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator
    ) async throws {
        var discarded = 0
        while discarded <= Self.discardLimit, let part = try await parts.next() {
            switch part {
            case .body(let chunk): discarded += chunk.readableBytes
            case .head, .end: return
            }
        }
    }

    private static func setConnectionHeader(_ head: inout HTTPResponseHead, keepAlive: Bool) {
        if !keepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
        } else if head.version.major == 1 && head.version.minor == 0 {
            head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
    }
}

/// A request that breaks HTTP/1.1 framing in a way the decoder let through.
enum HTTPConnectionError: Error {
    case unexpectedPart
}
