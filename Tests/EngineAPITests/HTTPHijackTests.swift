#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import EngineAPI

/// The hijack of attach and exec start (`HTTPResponse.Body.upgrade`), over a real unix socket with a client
/// that sends and reads raw bytes.
@Suite("HTTP hijack", .timeLimit(.minutes(2)))
struct HTTPHijackTests {
    /// What the docker CLI sends for `docker attach` (no body).
    static let attachRequest =
        "POST /v1.51/containers/c1/attach?stderr=1&stdin=1&stdout=1&stream=1 HTTP/1.1\r\n"
        + "Host: api.moby.localhost\r\nContent-Type: text/plain\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"

    @Test func upgradeHeadIsExactAndBytesFlowBothWays() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let responder = HijackResponder(headers: [
            "content-type": "application/vnd.docker.multiplexed-stream",
            // Framing and upgrade headers are the server's: these are left out.
            "content-length": "12",
            "connection": "keep-alive",
        ]) { _, connection in
            for try await bytes in connection.inbound {
                try await connection.write(bytes)
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { server in
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send(Self.attachRequest)
                let head = try await client.readUntil("\r\n\r\n")
                #expect(
                    head
                        == "HTTP/1.1 101 UPGRADED\r\ncontent-type: application/vnd.docker.multiplexed-stream\r\n"
                        + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                )
                #expect(await server.inFlight == 1)
                try await client.send("hello")
                #expect(try await client.readUntil("hello") == "hello")
                // Bytes that look like HTTP are just bytes now.
                try await client.send("GET / HTTP/1.1\r\n\r\n")
                #expect(try await client.readUntil("\r\n\r\n") == "GET / HTTP/1.1\r\n\r\n")
            }
            #expect(try await eventually { await server.inFlight == 0 })
        }
    }

    @Test func bytesSentWithTheRequestReachTheClosure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let stdin = "stdin sent before start\n"
        let responder = HijackResponder { request, connection in
            var received = ""
            for try await bytes in connection.inbound {
                received += String(buffer: bytes)
                try await connection.write(bytes)
            }
            try await connection.write(ByteBuffer(string: "|body=\(String(buffer: request.body)) stdin=\(received)"))
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            // Without a body, as attach sends it.
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send(Self.attachRequest + stdin)
                #expect(try await client.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 101 UPGRADED\r\n"))
                // Echoed while no other byte arrives after them.
                #expect(try await client.readUntil(stdin) == stdin)
                try await client.closeWrite()
                #expect(try await client.readToEnd() == "|body= stdin=\(stdin)")
            }
            // With a JSON body, as exec start sends it: the body is the request's, the rest is the stream's.
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                let body = #"{"Detach":false,"Tty":false}"#
                try await client.send(
                    "POST /v1.51/exec/e1/start HTTP/1.1\r\nHost: api.moby.localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                        + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" + body + stdin
                )
                #expect(try await client.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 101 UPGRADED\r\n"))
                #expect(try await client.readUntil(stdin) == stdin)
                try await client.closeWrite()
                #expect(try await client.readToEnd() == "|body=\(body) stdin=\(stdin)")
            }
        }
    }

    @Test func halfCloseEndsTheInboundButOutputGoesOn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let responder = HijackResponder { _, connection in
            var received = ""
            for try await bytes in connection.inbound {
                received += String(buffer: bytes)
            }
            try await connection.write(ByteBuffer(string: "stdin ended after \(received.debugDescription)\n"))
            try await connection.write(ByteBuffer(string: "more output\n"))
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send(Self.attachRequest)
                _ = try await client.readUntil("\r\n\r\n")
                try await client.send("abc")
                try await client.closeWrite()  // shutdown(SHUT_WR), as the CLI's CloseWrite
                #expect(try await client.readToEnd() == "stdin ended after \"abc\"\nmore output\n")
            }
        }
    }

    @Test func withoutUpgradeHeaderTheAnswerIs200AndStillHijacked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let responder = HijackResponder(headers: ["Content-Type": "application/vnd.docker.raw-stream"]) {
            _, connection in
            for try await bytes in connection.inbound {
                try await connection.write(bytes)
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send("POST /containers/c1/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = try await client.readUntil("\r\n\r\n")
                #expect(head == "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n")
                try await client.send("not http at all\r\n\r\n")
                #expect(try await client.readUntil("\r\n\r\n") == "not http at all\r\n\r\n")
                try await client.closeWrite()
                #expect(try await client.readToEnd() == "")
            }
        }
    }

    @Test func clientDisconnectCancelsTheClosure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let started = Signal()
        let cancelled = Signal()
        let responder = HijackResponder { _, _ in
            // Reads nothing: the disconnect must be noticed all the same.
            started.fire()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.fire()
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { server in
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send(Self.attachRequest)
                _ = try await client.readUntil("\r\n\r\n")
                await started.wait()
            }  // closes the client side entirely
            await cancelled.wait()
            #expect(try await eventually { await server.inFlight == 0 })
        }
    }

    @Test func shutdownCancelsTheClosureAndClosesTheConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let cancelled = Signal()
        let responder = HijackResponder { _, connection in
            try await connection.write(ByteBuffer(string: "output\n"))
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.fire()
            }
        }
        let server = HTTPServer(addresses: [.unix(path: path, mode: 0o600)], responder: responder, logger: testLogger)
        try await server.start()
        let clock = ContinuousClock()
        let start = clock.now
        try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
            try await client.send(Self.attachRequest)
            _ = try await client.readUntil("output\n")
            async let shutdown: Void = server.shutdown(drainTimeout: .seconds(60))
            #expect(try await client.readToEnd() == "")
            await shutdown
        }
        await cancelled.wait()
        #expect(clock.now - start < .seconds(30))
    }

    @Test func outputWrittenJustBeforeTheClosureReturnsIsNotLost() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)
        let chunks = 64  // 4 MiB: far more than the socket and the channel buffer hold
        let responder = HijackResponder { _, connection in
            for _ in 0..<chunks {
                try await connection.write(chunk)
            }
            try await connection.write(ByteBuffer(string: "END"))
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            try await withRawConnection(unixPath: path, timeout: .seconds(10)) { client in
                try await client.send(Self.attachRequest)
                _ = try await client.readUntil("\r\n\r\n")
                let rest = try await client.readToEnd()
                #expect(rest.utf8.count == chunks * chunk.readableBytes + 3)
                #expect(rest.hasSuffix("xEND"))
            }
        }
    }

    @Test func hijackHeadLeavesOutInvalidFields() {
        #expect(HTTPField.isValid(name: "Content-Type", value: "application/vnd.docker.raw-stream"))
        #expect(!HTTPField.isValid(name: "X-Bad", value: "a\r\nInjected: 1"))
        #expect(!HTTPField.isValid(name: "Bad Name", value: "1"))
        #expect(!HTTPField.isValid(name: "", value: "1"))
    }
}

// MARK: - Helpers

/// Hijacks every request: the head carries `headers`, then `run` gets the request and the connection.
private struct HijackResponder: HTTPResponder {
    let headers: HTTPHeaders
    let run: @Sendable (HTTPRequest, HijackedConnection) async throws -> Void

    init(
        headers: HTTPHeaders = ["content-type": "application/vnd.docker.raw-stream"],
        _ run: @escaping @Sendable (HTTPRequest, HijackedConnection) async throws -> Void
    ) {
        self.headers = headers
        self.run = run
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let run = self.run
        return HTTPResponse(status: .switchingProtocols, headers: self.headers, body: .upgrade { connection in
            try await run(request, connection)
        })
    }
}


/// Polls `condition` every 10 ms for up to 10 seconds; returns whether it became true.
private func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<1000 {
        if try await condition() {
            return true
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    return false
}
