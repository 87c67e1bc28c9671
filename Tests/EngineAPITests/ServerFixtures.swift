#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
@testable import EngineAPI
import Foundation
import Logging
import NIOCore
import NIOPosix

// Fixtures the HTTP server suites share.

let testLogger: Logger = {
    var logger = Logger(label: "berth.http-server.tests")
    logger.logLevel = .warning
    return logger
}()

/// A one-shot event a test can wait for.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream()
    }

    func fire() {
        self.continuation.finish()
    }

    func wait() async {
        for await _ in self.stream {}
    }
}

/// A directory under /tmp (short enough for unix socket paths); the test removes it with `defer`.
struct TemporaryDirectory {
    let root: String

    init() throws {
        self.root = "/tmp/berth-http-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        "\(self.root)/\(name)"
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.root)
    }
}

func withServer(
    _ address: ListenAddress,
    responder: any HTTPResponder,
    maxRequestBodySize: Int = HTTPServer.defaultMaxRequestBodySize,
    bodySpooling: BodySpooling? = nil,
    _ body: (HTTPServer) async throws -> Void
) async throws {
    let server = HTTPServer(
        addresses: [address],
        responder: responder,
        logger: testLogger,
        maxRequestBodySize: maxRequestBodySize,
        bodySpooling: bodySpooling
    )
    try await server.start()
    do {
        try await body(server)
    } catch {
        await server.shutdown(drainTimeout: .seconds(5))
        throw error
    }
    await server.shutdown(drainTimeout: .seconds(5))
}

/// A client connection that sends and reads raw bytes, to check exactly what goes over the wire; it can
/// shut down its write side.
struct RawConnection {
    let channel: any Channel
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending = ""

    struct ClosedEarly: Error, CustomStringConvertible {
        let received: String
        var description: String { "connection closed before the expected text; received: \(self.received.debugDescription)" }
    }

    /// Sends `text` in one write.
    func send(_ text: String) async throws {
        try await self.outbound.write(ByteBuffer(string: text))
    }

    func send(_ bytes: ByteBuffer) async throws {
        try await self.outbound.write(bytes)
    }

    /// Shuts down the write side (`shutdown(SHUT_WR)`); reading goes on.
    func closeWrite() async throws {
        try await self.channel.close(mode: .output)
    }

    /// Reads until `marker` arrives; returns everything up to and including it.
    mutating func readUntil(_ marker: String) async throws -> String {
        while true {
            if let range = self.pending.range(of: marker) {
                let text = String(self.pending[..<range.upperBound])
                self.pending = String(self.pending[range.upperBound...])
                return text
            }
            guard let chunk = try await self.inbound.next() else {
                throw ClosedEarly(received: self.pending)
            }
            self.pending += String(buffer: chunk)
        }
    }

    /// Reads until the server closes the connection; returns what was not read yet. With
    /// `resetCountsAsEnd`, a reset after the response counts as the end.
    mutating func readToEnd(resetCountsAsEnd: Bool = false) async throws -> String {
        do {
            while let chunk = try await self.inbound.next() {
                self.pending += String(buffer: chunk)
            }
        } catch let error as IOError where resetCountsAsEnd && error.errnoCode == ECONNRESET {}
        defer { self.pending = "" }
        return self.pending
    }
}

/// Connects to `unixPath` and runs `body` with the connection. With a `timeout`, the connection is
/// closed after it, so that a missing byte fails the test (a read throws) instead of hanging it. With
/// `halfClosable`, the server's half-close ends the reads but not the writes.
func withRawConnection(
    unixPath: String,
    timeout: Duration? = nil,
    halfClosable: Bool = false,
    _ body: (inout RawConnection) async throws -> Void
) async throws {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.allowRemoteHalfClosure, value: halfClosable)
        .connect(unixDomainSocketPath: unixPath) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    try await withThrowingTaskGroup(of: Void.self) { group in
        if let timeout {
            group.addTask {
                try await Task.sleep(for: timeout)
                try? await channel.channel.close()
            }
        }
        try await channel.executeThenClose { inbound, outbound in
            var connection = RawConnection(channel: channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await body(&connection)
        }
        group.cancelAll()
    }
}
