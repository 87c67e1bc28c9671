import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves one accepted connection: reads requests one after another, hands each to the responder, writes
/// the response, and goes on while the connection is kept alive.
///
/// Everything that happens on a connection happens here, on the connection's task: the responder runs on
/// it, a streamed body's producer runs in a child task raced against the connection's
/// ``ConnectionInterrupt`` (peer closed, server shutting down). Requests are read only between responses,
/// so pipelined requests are answered in order.
///
/// A hijacking response (``HTTPResponse/Body/upgrade(_:)``, attach and exec start) ends the HTTP part of the
/// connection: ``hijack(_:headers:for:parts:outbound:id:interrupt:)`` has ``HTTPPipeline`` swap the HTTP codec
/// for a raw byte pipe and write the `101 UPGRADED` head, then runs the closure like a streamed body's
/// producer, with a ``HijackedConnection`` reading the same inbound iterator and writing to the same
/// outbound writer; the connection closes when the closure returns.
struct HTTPConnection: Sendable {
    /// What every connection of a server shares.
    struct Context: Sendable {
        var responder: any HTTPResponder
        var registry: ConnectionRegistry
        var maxRequestBodySize: Int
        /// Which request bodies go to a file rather than memory; nil for none.
        var bodySpooling: BodySpooling?
        /// Where spooled bodies are written (blocking file calls).
        var threadPool: NIOThreadPool
        var logger: Logger
        var limits: ConnectionLimits = .defaults
        /// The TLS of tcp listeners; nil for plain HTTP.
        var tls: ServerTLS?
        /// The group given to unix sockets this server creates; nil leaves the process's.
        var socketGroup: UInt32?
    }

    /// How long, and how many bytes of the rest of a request, a connection reads and drops after an early
    /// answer before it closes (see ``linger(parts:)``).
    static let lingerTime: TimeAmount = .seconds(5)
    static let lingerBytes = 256 << 20

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
    ///
    /// The body is collected in memory, or written to a file when ``Context/bodySpooling`` applies to the
    /// request; that file is removed when this returns (or throws), after the response has been written.
    private func serve(
        _ head: HTTPRequestHead,
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        id: Int,
        interrupt: ConnectionInterrupt
    ) async throws -> Bool {
        var request = HTTPRequest(method: head.method, uri: head.uri, headers: head.headers)
        let spooling = self.context.bodySpooling.flatMap { $0.applies(request.method, request.path) ? $0 : nil }
        let limit = spooling?.maxBodySize ?? Int64(self.context.maxRequestBodySize)
        let declaredLength = head.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
        let expectsContinue =
            head.version.major == 1 && head.version.minor >= 1
            && head.headers["expect"].contains { $0.lowercased() == "100-continue" }

        if declaredLength > limit {
            try await self.writeTooLarge(head, outbound: outbound)
            await self.linger(parts: &parts)
            return false
        }

        var spoolFile: SpoolFile?
        defer { spoolFile?.remove() }
        if let spooling {
            do {
                spoolFile = try await SpoolFile.create(in: spooling.directory, threadPool: self.context.threadPool)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Refused before a 100 Continue, the client does not send the body.
                try await self.writeSpoolFailure(error, for: head, outbound: outbound)
                await self.linger(parts: &parts)
                return false
            }
        }
        if expectsContinue {
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }

        let outcome: BodyOutcome
        if let spoolFile {
            outcome = try await Self.spoolBody(parts: &parts, into: spoolFile, limit: limit)
            request.bodyFile = spoolFile.path
        } else {
            outcome = try await Self.collectBody(parts: &parts, into: &request.body, limit: limit)
        }
        switch outcome {
        case .complete:
            break
        case .peerClosed:
            return false
        case .tooLarge:
            try await self.writeTooLarge(head, outbound: outbound)
            await self.linger(parts: &parts)
            return false
        case .storeFailed(let error):
            try await self.writeSpoolFailure(error, for: head, outbound: outbound)
            await self.linger(parts: &parts)
            return false
        }
        if let spoolFile {
            self.context.logger.debug(
                "spooled request body",
                metadata: ["uri": "\(head.uri)", "file": "\(spoolFile.path)", "bytes": "\(spoolFile.size)"]
            )
        }

        let response = await self.context.responder.respond(to: request)
        return try await self.write(
            response,
            for: head,
            parts: &parts,
            outbound: outbound,
            id: id,
            interrupt: interrupt
        )
    }

    /// Writes `response` to the request `request`; returns whether the connection stays open. A hijack reads
    /// the rest of the connection from `parts`.
    private func write(
        _ response: HTTPResponse,
        for request: HTTPRequestHead,
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
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
                // The producer is not run. The encoder does not know the request was a HEAD (see
                // HTTPPipeline): it frames the head as chunked and would write a terminator for `.end`, so
                // only the head is written and the connection is not reused.
                Self.setConnectionHeader(&head, keepAlive: false)
                try await outbound.write(.head(head))
                return false
            }
            Self.setConnectionHeader(&head, keepAlive: keepAlive)
            // The head goes out (flushed) before the producer starts: docker's `wait` depends on it.
            try await outbound.write(.head(head))
            _ = self.context.registry.enter(.streaming, id: id)

            let writer = ResponseBodyWriter(outbound: outbound)
            defer { writer.close() }
            switch await Self.runUntilInterrupted(interrupt, { try await produce(writer) }) {
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

        case .upgrade(let run):
            try await self.hijack(
                run,
                headers: response.headers,
                for: request,
                parts: parts,
                outbound: outbound,
                id: id,
                interrupt: interrupt
            )
            return false
        }
    }

    private enum StreamEvent: Sendable {
        case finished(Result<Void, any Error>)
        case interrupted
    }

    /// Runs `body` (a streamed body's producer, a hijack's closure) in a child task until it returns,
    /// cancelling it when the interrupt fires.
    static func runUntilInterrupted(
        _ interrupt: ConnectionInterrupt,
        _ body: @escaping @Sendable () async throws -> Void
    ) async -> Result<Void, any Error> {
        await withTaskGroup(of: StreamEvent.self) { group in
            group.addTask {
                do {
                    try await body()
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
        try await Self.writeError(.payloadTooLarge, message: "request body too large", for: request, outbound: outbound)
    }

    /// Answers 500 when a spooled body's file could not be created or written.
    private func writeSpoolFailure(
        _ error: any Error,
        for request: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        self.context.logger.error(
            "store request body",
            metadata: ["uri": "\(request.uri)", "error": "\(error)"]
        )
        // The client is told why, not where: the path stays in the log.
        let reason = (error as? SpoolFileError)?.reason ?? "\(error)"
        let message = "store request body: \(reason)"
        let full = (error as? SpoolFileError).map { $0.code == ENOSPC || $0.code == EDQUOT } ?? false
        try await Self.writeError(full ? .insufficientStorage : .internalServerError, message: message, for: request, outbound: outbound)
    }

    /// Writes a JSON error response (`{"message":…}`, as dockerd does) that ends the connection.
    private static func writeError(
        _ status: HTTPResponseStatus,
        message: String,
        for request: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        let body = ByteBuffer(string: #"{"message":"# + Self.jsonString(message) + "}\n")
        let head = HTTPResponseHead(
            version: request.version,
            status: status,
            headers: [
                "content-type": "application/json",
                "content-length": String(body.readableBytes),
                "connection": "close",
            ]
        )
        try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(body)), .end(nil)])
    }

    /// `text` as a quoted JSON string.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
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
