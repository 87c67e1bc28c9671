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

// MARK: - Request target parsing

@Suite("HTTPRequest target parsing")
struct HTTPRequestTargetTests {
    @Test func pathAndRepeatedQueryKeys() {
        let request = HTTPRequest(method: .GET, uri: "/v1.51/images/get?names=busybox&names=127.0.0.1%3A5055%2Fbb%3A1")
        #expect(request.path == "/v1.51/images/get")
        #expect(request.query["names"] == ["busybox", "127.0.0.1:5055/bb:1"])
    }

    @Test func jsonFiltersAndPlusAsSpace() {
        let request = HTTPRequest(
            method: .POST,
            uri: "/containers/json?all=1&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D&changes=ENV+X%3D1"
        )
        #expect(request.query["all"] == ["1"])
        #expect(request.query["filters"] == [#"{"status":{"exited":true}}"#])
        #expect(request.query["changes"] == ["ENV X=1"])
    }

    @Test func pathIsPercentDecodedButPlusIsKept() {
        let request = HTTPRequest(method: .GET, uri: "/images/a%2Fb+c/json")
        #expect(request.path == "/images/a/b+c/json")
        #expect(request.query.isEmpty)
    }

    @Test func absoluteFormFragmentAndEmptyValues() {
        let request = HTTPRequest(method: .GET, uri: "http://api.moby.localhost/v1.51/_ping?all&x=&&y=2#frag")
        #expect(request.path == "/v1.51/_ping")
        #expect(request.query == ["all": [""], "x": [""], "y": ["2"]])
        #expect(HTTPRequest(method: .GET, uri: "http://host?a=1").path == "/")
    }

    @Test func malformedEscapesAreKeptAsWritten() {
        let request = HTTPRequest(method: .GET, uri: "/a%zz?x=%&y=%4")
        #expect(request.path == "/a%zz")
        #expect(request.query["x"] == ["%"])
        #expect(request.query["y"] == ["%4"])
    }

    @Test func listenAddressDescriptions() {
        #expect(ListenAddress.unix(path: "/run/berth.sock", mode: 0o660).description == "unix:///run/berth.sock")
        #expect(ListenAddress.tcp(host: "127.0.0.1", port: 2375).description == "tcp://127.0.0.1:2375")
        #expect(ListenAddress.tcp(host: "::1", port: 2375).description == "tcp://[::1]:2375")
        #expect(ListenAddress.fd(3).description == "fd://3")
    }
}

// MARK: - Server over real sockets

@Suite("HTTPServer", .timeLimit(.minutes(2)))
struct HTTPServerTests {
    @Test func getAndHeadOverUnixSocketWithCurl() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o660), responder: PingResponder()) { _ in
            let get = try await curl(["--unix-socket", path, "-i", "http://api.moby.localhost/_ping"])
            #expect(get.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(get.lowercased().contains("api-version: 1.51\r\n"))
            #expect(get.hasSuffix("\r\n\r\nOK"))

            let head = try await curl(["--unix-socket", path, "-I", "http://api.moby.localhost/_ping"])
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(head.lowercased().contains("content-length: 2\r\n"))
            #expect(head.hasSuffix("\r\n\r\n"))
        }
    }

    @Test func headSendsLengthButNoBody() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder()) { _ in
            try await withRawConnection(unixPath: path) { connection in
                // The GET right behind the HEAD shows that no body bytes were sent in between.
                try await connection.send(
                    "HEAD /_ping HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n"
                        + "GET /_ping HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n"
                )
                let head = try await connection.readUntil("\r\n\r\n")
                #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(head.lowercased().contains("content-length: 2\r\n"))
                let get = try await connection.readUntil("\r\n\r\nOK")
                #expect(get.hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder()) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("GET /echo/one HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n")
                let first = try await connection.readUntil("path=/echo/one query=0 body=0")
                #expect(first.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(!first.lowercased().contains("connection: close"))
                try await connection.send("GET /echo/two?x=1 HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n")
                let second = try await connection.readUntil("path=/echo/two query=1 body=0")
                #expect(second.hasPrefix("HTTP/1.1 200 OK\r\n"))
            }

            // curl reuses its connection for the second URL: 0 new connects.
            let connects = try await curl([
                "--unix-socket", path, "-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n",
                "http://api.moby.localhost/_ping", "http://api.moby.localhost/_ping",
            ])
            #expect(connects == "1\n0\n")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder()) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send(
                    "GET /echo/a HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/b HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /echo/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                let all = try await connection.readToEnd(resetCountsAsEnd: true)
                let a = try #require(all.range(of: "path=/echo/a"))
                let b = try #require(all.range(of: "path=/echo/b"))
                let c = try #require(all.range(of: "path=/echo/c"))
                #expect(a.upperBound <= b.lowerBound && b.upperBound <= c.lowerBound)
            }
        }
    }

    @Test func http10ClosesAfterTheResponse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder()) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("GET /_ping HTTP/1.0\r\n\r\n")
                let response = try await connection.readToEnd(resetCountsAsEnd: true)  // returns only because the server closes
                #expect(response.hasPrefix("HTTP/1.0 200 OK\r\n"))
                #expect(response.hasSuffix("\r\n\r\nOK"))
            }
        }
    }

    @Test func streamedChunksArriveBeforeTheProducerEnds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let firstGate = Signal()
        let secondGate = Signal()
        let responder = ClosureResponder { _ in
            HTTPResponse.streaming(headers: ["content-type": "application/json"]) { writer in
                await firstGate.wait()
                try await writer.write(ByteBuffer(string: "{\"n\":1}\n"))
                await secondGate.wait()
                try await writer.write(ByteBuffer(string: "{\"n\":2}\n"))
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("GET /events HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n")
                // The head arrives while the producer has written nothing yet.
                let head = try await connection.readUntil("\r\n\r\n")
                #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(head.lowercased().contains("transfer-encoding: chunked\r\n"))

                firstGate.fire()
                #expect(try await connection.readUntil("\r\n{\"n\":1}\n\r\n") == "8\r\n{\"n\":1}\n\r\n")
                secondGate.fire()
                #expect(try await connection.readUntil("0\r\n\r\n") == "8\r\n{\"n\":2}\n\r\n0\r\n\r\n")

                // The terminated stream leaves the connection usable.
                try await connection.send("GET /again HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n")
                #expect(try await connection.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
    }

    @Test func clientDisconnectCancelsTheProducer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let cancelled = Signal()
        let writeFailed = Signal()
        let responder = ClosureResponder { _ in
            HTTPResponse.streaming { writer in
                try await writer.write(ByteBuffer(string: "first\n"))
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    cancelled.fire()
                }
                do {
                    try await writer.write(ByteBuffer(string: "late\n"))
                } catch {
                    writeFailed.fire()
                }
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { server in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("GET /events HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n")
                _ = try await connection.readUntil("first\n\r\n")
                #expect(await server.inFlight == 1)
            }  // closes the client side
            await cancelled.wait()
            await writeFailed.wait()
        }
    }

    @Test func slowResponderDoesNotBlockOtherConnections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let entered = Signal()
        let release = Signal()
        let responder = ClosureResponder { request in
            if request.path == "/slow" {
                entered.fire()
                await release.wait()
            }
            return HTTPResponse(body: .bytes(ByteBuffer(string: "done \(request.path)")))
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { server in
            try await withRawConnection(unixPath: path) { slow in
                try await slow.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                await entered.wait()
                let other = try await curl(["--unix-socket", path, "http://api.moby.localhost/fast"])
                #expect(other == "done /fast")
                #expect(await server.inFlight == 1)
                release.fire()
                #expect(try await slow.readUntil("done /slow").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
    }

    @Test func http10StreamEndsWithTheConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let responder = ClosureResponder { _ in
            HTTPResponse.streaming { writer in
                try await writer.write(ByteBuffer(string: "one\n"))
                try await writer.write(ByteBuffer(string: "two\n"))
            }
        }
        try await withServer(.unix(path: path, mode: 0o600), responder: responder) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("GET /events HTTP/1.0\r\n\r\n")
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.0 200 OK\r\n"))
                #expect(!response.lowercased().contains("transfer-encoding"))
                #expect(response.hasSuffix("\r\n\r\none\ntwo\n"))
            }
        }
    }

    @Test func tcpPortZeroReportsTheRealPort() async throws {
        try await withServer(.tcp(host: "127.0.0.1", port: 0), responder: PingResponder()) { server in
            let bound = await server.boundAddresses
            guard case .tcp(let host, let port) = try #require(bound.first) else {
                Issue.record("expected a tcp address, got \(bound)")
                return
            }
            #expect(host == "127.0.0.1")
            #expect(port > 0)
            #expect(try await curl(["http://127.0.0.1:\(port)/_ping"]) == "OK")
        }
    }

    @Test func inheritedListeningDescriptor() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("systemd.sock")
        let descriptor = try makeUnixSocket(at: path, listening: true)
        let server = HTTPServer(addresses: [.fd(descriptor)], responder: PingResponder(), logger: testLogger)
        try await server.start()
        #expect(await server.boundAddresses == [.fd(descriptor)])
        #expect(try await curl(["--unix-socket", path, "http://api.moby.localhost/_ping"]) == "OK")
        await server.shutdown(drainTimeout: .seconds(5))
        // The server leaves the socket it was handed open, and its file to whoever created it (systemd):
        // the next server accepts on it.
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(fcntl(descriptor, F_GETFD) >= 0)
        let next = HTTPServer(addresses: [.fd(descriptor)], responder: PingResponder(), logger: testLogger)
        try await next.start()
        #expect(try await curl(["--unix-socket", path, "http://api.moby.localhost/_ping"]) == "OK")
        await next.shutdown(drainTimeout: .seconds(5))
        close(descriptor)
    }

    @Test func listeningSocketsOutliveTheirServers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let sockets = try ListeningSockets.bind([.unix(path: path, mode: 0o600)], socketGroup: nil)
        let first = HTTPServer(addresses: sockets.descriptors, responder: PingResponder(), logger: testLogger)
        try await first.start()
        #expect(try await curl(["--unix-socket", path, "http://api.moby.localhost/_ping"]) == "OK")
        await first.shutdown(drainTimeout: .seconds(1))
        #expect(FileManager.default.fileExists(atPath: path))
        // A client connecting between two servers waits in the backlog and is answered by the next one.
        async let waiting = curl(["--unix-socket", path, "--max-time", "20", "http://api.moby.localhost/_ping"])
        try await Task.sleep(for: .milliseconds(300))
        let second = HTTPServer(addresses: sockets.descriptors, responder: PingResponder(), logger: testLogger)
        try await second.start()
        #expect(try await waiting == "OK")
        await second.shutdown(drainTimeout: .seconds(1))
        sockets.close()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func listeningSocketsRefuseAFileOfAnotherType() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        #expect(throws: HTTPServerError.self) { try ListeningSockets.bind([.unix(path: path, mode: 0o600)], socketGroup: nil) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    }

    @Test func shutdownEndsThoughARequestIgnoresCancellation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let entered = Signal()
        let release = Signal()
        let responder = ClosureResponder { _ in
            entered.fire()
            await release.wait()  // ignores cancellation
            return HTTPResponse(status: .serviceUnavailable)
        }
        let server = HTTPServer(addresses: [.unix(path: path, mode: 0o600)], responder: responder, logger: testLogger)
        try await server.start()
        try await withRawConnection(unixPath: path) { connection in
            try await connection.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n")
            await entered.wait()
            let started = ContinuousClock.now
            let stopping = Task { await server.shutdown(drainTimeout: .milliseconds(100)) }
            stopping.cancel()  // a cancelled caller (a supervisor stopping the api child) gets the same bounded drain
            await stopping.value
            #expect(ContinuousClock.now - started < HTTPServer.forcedCloseGrace + .seconds(2))
            _ = try await connection.readToEnd(resetCountsAsEnd: true)
        }
        release.fire()
    }

    @Test func staleSocketFileIsReplacedAndGetsTheMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        close(try makeUnixSocket(at: path, listening: false))  // a stale socket file nobody listens on
        try await withServer(.unix(path: path, mode: 0o660), responder: PingResponder()) { (_: HTTPServer) async throws in
            var info = stat()
            let statResult = lstat(path, &info)
            #expect(statResult == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o777 == 0o660)
            let body = try await curl(["--unix-socket", path, "http://api.moby.localhost/_ping"])
            #expect(body == "OK")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func bindFailureClosesWhatWasBound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let regularFile = directory.path("not-a-socket")
        #expect(FileManager.default.createFile(atPath: regularFile, contents: Data("keep".utf8)))
        let goodPath = directory.path("api.sock")
        let server = HTTPServer(
            addresses: [.unix(path: goodPath, mode: 0o600), .unix(path: regularFile, mode: 0o600)],
            responder: PingResponder(),
            logger: testLogger
        )
        let error = await #expect(throws: HTTPServerError.self) { try await server.start() }
        #expect(error?.code == .bindFailed)
        #expect(!FileManager.default.fileExists(atPath: goodPath))
        #expect(FileManager.default.contents(atPath: regularFile) == Data("keep".utf8))
        await server.waitUntilClosed()
    }

    @Test func shutdownDrainsAnInFlightRequestThenRemovesTheSocket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let entered = Signal()
        let release = Signal()
        let responder = ClosureResponder { request in
            if request.path == "/slow" {
                entered.fire()
                await release.wait()
                return HTTPResponse(body: .bytes(ByteBuffer(string: "slow done")))
            }
            return HTTPResponse(body: .bytes(ByteBuffer(string: "OK")))
        }
        let server = HTTPServer(
            addresses: [.unix(path: path, mode: 0o600)],
            responder: responder,
            logger: testLogger
        )
        try await server.start()
        try await withRawConnection(unixPath: path) { idle in
            try await idle.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await idle.readUntil("\r\n\r\nOK")

            try await withRawConnection(unixPath: path) { slow in
                try await slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                await entered.wait()
                #expect(await server.inFlight == 1)

                async let shutdown: Void = server.shutdown(drainTimeout: .seconds(60))
                // The idle keep-alive connection is closed at once, while the slow request is still running.
                #expect(try await idle.readToEnd(resetCountsAsEnd: true) == "")

                release.fire()
                let response = try await slow.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(response.lowercased().contains("connection: close\r\n"))
                #expect(response.hasSuffix("\r\n\r\nslow done"))
                await shutdown
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(await server.inFlight == 0)
        await server.waitUntilClosed()
    }

    @Test func shutdownCancelsStreamsAndTerminatesTheirBody() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let responder = ClosureResponder { _ in
            HTTPResponse.streaming { writer in
                try await writer.write(ByteBuffer(string: "event\n"))
                // A never-ending events stream: ends normally once cancelled.
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        let server = HTTPServer(addresses: [.unix(path: path, mode: 0o600)], responder: responder, logger: testLogger)
        try await server.start()
        let clock = ContinuousClock()
        let start = clock.now
        try await withRawConnection(unixPath: path) { connection in
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await connection.readUntil("event\n\r\n")
            async let shutdown: Void = server.shutdown(drainTimeout: .seconds(60))
            #expect(try await connection.readToEnd(resetCountsAsEnd: true) == "0\r\n\r\n")
            await shutdown
        }
        #expect(clock.now - start < .seconds(30))
    }

    @Test func shutdownTimeoutClosesSlowRequests() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let entered = Signal()
        let responder = ClosureResponder { _ in
            entered.fire()
            try? await Task.sleep(for: .seconds(3600))  // ends when the drain timeout cancels it
            return HTTPResponse(status: .serviceUnavailable)
        }
        let server = HTTPServer(addresses: [.unix(path: path, mode: 0o600)], responder: responder, logger: testLogger)
        try await server.start()
        try await withRawConnection(unixPath: path) { connection in
            try await connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            await entered.wait()
            await server.shutdown(drainTimeout: .milliseconds(50))
            _ = try await connection.readToEnd(resetCountsAsEnd: true)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func lifecycleIsIdempotent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = HTTPServer(
            addresses: [.unix(path: directory.path("api.sock"), mode: 0o600)],
            responder: PingResponder(),
            logger: testLogger
        )
        try await server.start()
        let error = await #expect(throws: HTTPServerError.self) { try await server.start() }
        #expect(error?.code == .alreadyStarted)
        async let first: Void = server.shutdown(drainTimeout: .seconds(5))
        async let second: Void = server.shutdown(drainTimeout: .seconds(5))
        _ = await (first, second)
        await server.shutdown(drainTimeout: .seconds(5))
        await server.waitUntilClosed()

        let neverStarted = HTTPServer(addresses: [], responder: PingResponder(), logger: testLogger)
        await neverStarted.shutdown(drainTimeout: .seconds(1))
        await neverStarted.waitUntilClosed()
    }

    @Test func hugeBodyGets413() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder(), maxRequestBodySize: 1024) { _ in
            // Declared too large.
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send(
                    "POST /build HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + String(repeating: "a", count: 4096)
                )
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
                #expect(response.hasSuffix("\r\n\r\n{\"message\":\"request body too large\"}\n"))
            }
            // Chunked, growing past the limit.
            try await withRawConnection(unixPath: path) { connection in
                let chunk = String(repeating: "b", count: 800)
                try await connection.send(
                    "POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
                )
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            }
            // Expect: 100-continue: refused before the body is sent.
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("PUT /archive HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
                #expect(try await connection.readToEnd(resetCountsAsEnd: true).hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            }
            // Within the limit the body reaches the responder, after a 100 Continue.
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
                #expect(try await connection.readUntil("\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
                try await connection.send(String(repeating: "c", count: 1000))
                #expect(try await connection.readUntil("body=1000").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
    }

    /// A client that sends its whole body before it reads (Python's `sendall`, then `recv`) gets the early
    /// 413 whatever the body's size: the server shuts down its write side after the answer and reads the
    /// rest away instead of closing on unread bytes, which would reset the connection.
    @Test func earlyAnswerToALargeUploadArrivesInsteadOfAReset() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        let size = 8 << 20
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder(), maxRequestBodySize: 1024) { _ in
            try await withRawConnection(unixPath: path, timeout: .seconds(30), halfClosable: true) { connection in
                try await connection.send("POST /build HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n")
                let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 << 10)
                for _ in 0..<(size / chunk.readableBytes) { try await connection.send(chunk) }
                let response = try await connection.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
                #expect(response.hasSuffix("{\"message\":\"request body too large\"}\n"))
            }
        }
    }

    @Test func malformedRequestGets400AndClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("api.sock")
        try await withServer(.unix(path: path, mode: 0o600), responder: PingResponder()) { _ in
            try await withRawConnection(unixPath: path) { connection in
                try await connection.send("THIS IS NOT HTTP\r\n\r\n")
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            }
        }
    }
}

// MARK: - Request bodies spooled to files

@Suite("HTTPServer body spooling", .timeLimit(.minutes(3)))
struct HTTPServerBodySpoolingTests {
    @Test func largeBodyArrivesAsAFileRemovedAfterTheResponse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")  // missing: the server creates it
        let body = PatternBody(size: 100 << 20 + 12345)
        let seen = SpooledRequests()
        let responder = ClosureResponder { request in
            guard let file = request.bodyFile else {
                return HTTPResponse(body: .bytes(ByteBuffer(string: "in memory body=\(request.body.readableBytes)")))
            }
            await seen.append(SpooledRequest(request, expected: body))
            // A streamed response may still read the file: it is removed only once the response is sent.
            return HTTPResponse.streaming { writer in
                let state = FileManager.default.fileExists(atPath: file) ? "still there" : "gone"
                try await writer.write(ByteBuffer(string: state))
            }
        }
        try await withServer(.unix(path: socket, mode: 0o600), responder: responder, bodySpooling: .imageUploads(spool)) { _ in
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send(
                    "POST /v1.51/images/load?quiet=1 HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.size)\r\n\r\n"
                )
                for index in 0..<body.blockCount {
                    try await connection.send(ByteBuffer(bytes: body.block(index)))
                }
                let response = try await connection.readUntil("0\r\n\r\n")
                #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(response.contains("\r\nstill there\r\n"))

                // The connection stays usable; serving the next request starts after the file is removed.
                try await connection.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.readUntil("in memory body=0").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
        let requests = await seen.all
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.path == "/v1.51/images/load")
        #expect(request.file.hasPrefix(spool + "/" + BodySpooling.filePrefix))
        #expect(request.bodyInMemory == 0)
        #expect(request.mode == 0o600)
        #expect(request.size == Int64(body.size))
        #expect(request.mismatch == nil)
        #expect(!FileManager.default.fileExists(atPath: request.file))
        #expect(try spoolFiles(in: spool).isEmpty)
        #expect(fileMode(spool) == 0o700)
    }

    @Test func chunkedBodyAndExpectContinueAreSpooled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")
        let body = PatternBody(size: 3 << 20 + 777)
        let seen = SpooledRequests()
        let responder = ClosureResponder { request in
            if request.bodyFile != nil {
                await seen.append(SpooledRequest(request, expected: body))
            }
            return HTTPResponse(body: .bytes(ByteBuffer(string: "done")))
        }
        try await withServer(.unix(path: socket, mode: 0o600), responder: responder, bodySpooling: .imageUploads(spool)) { _ in
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send("POST /images/create?fromSrc=- HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                for index in 0..<body.blockCount {
                    // Each block as two chunks of uneven sizes.
                    let block = body.block(index)
                    let split = block.count / 3
                    for part in [block[..<split], block[split...]] {
                        try await connection.send(String(part.count, radix: 16) + "\r\n")
                        try await connection.send(ByteBuffer(bytes: part))
                        try await connection.send("\r\n")
                    }
                }
                try await connection.send("0\r\n\r\n")
                #expect(try await connection.readUntil("\r\n\r\ndone").hasPrefix("HTTP/1.1 200 OK\r\n"))

                try await connection.send(
                    "POST /v1.44/images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.size)\r\nExpect: 100-continue\r\n\r\n"
                )
                #expect(try await connection.readUntil("\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
                for index in 0..<body.blockCount {
                    try await connection.send(ByteBuffer(bytes: body.block(index)))
                }
                #expect(try await connection.readUntil("\r\n\r\ndone").hasPrefix("HTTP/1.1 200 OK\r\n"))

                // A matching request without a body gets an empty file.
                try await connection.send("POST /images/create?fromImage=busybox HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                #expect(try await connection.readUntil("\r\n\r\ndone").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
        let requests = await seen.all
        try #require(requests.count == 3)
        #expect(requests.map(\.path) == ["/images/create", "/v1.44/images/load", "/images/create"])
        #expect(requests.map(\.size) == [Int64(body.size), Int64(body.size), 0])
        #expect(requests[0].mismatch == nil)
        #expect(requests[1].mismatch == nil)
        #expect(Set(requests.map(\.file)).count == 3)
        #expect(try spoolFiles(in: spool).isEmpty)
    }

    @Test func oversizedSpooledBodyGets413AndLeavesNoFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")
        let called = SpooledRequests()
        let responder = ClosureResponder { request in
            await called.append(SpooledRequest(request, expected: nil))
            return HTTPResponse()
        }
        let limit = 300 << 10
        // The in-memory limit is smaller still: spooled requests have their own.
        try await withServer(
            .unix(path: socket, mode: 0o600),
            responder: responder,
            maxRequestBodySize: 1024,
            bodySpooling: .imageUploads(spool, maxBodySize: Int64(limit))
        ) { _ in
            // Declared too large: refused before a file is made.
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(limit + 1)\r\n\r\n")
                try await connection.send(ByteBuffer(repeating: 0x61, count: limit + 1))
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
                #expect(response.hasSuffix("\r\n\r\n{\"message\":\"request body too large\"}\n"))
            }
            // Chunked, growing past the limit once its file exists.
            try await withRawConnection(unixPath: socket) { connection in
                let chunk = ByteBuffer(repeating: 0x62, count: 200 << 10)
                try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in 0..<2 {
                    try await connection.send(String(chunk.readableBytes, radix: 16) + "\r\n")
                    try await connection.send(chunk)
                    try await connection.send("\r\n")
                }
                try await connection.send("0\r\n\r\n")
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
                #expect(response.hasSuffix("\r\n\r\n{\"message\":\"request body too large\"}\n"))
            }
            // Expect: 100-continue: refused before the body is sent.
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send(
                    "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(limit + 1)\r\nExpect: 100-continue\r\n\r\n"
                )
                #expect(try await connection.readToEnd(resetCountsAsEnd: true).hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            }
            // Exactly at the limit is fine.
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(limit)\r\n\r\n")
                try await connection.send(ByteBuffer(repeating: 0x63, count: limit))
                #expect(try await connection.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 200 OK\r\n"))
            }
        }
        #expect(await called.all.map(\.size) == [Int64(limit)])
        #expect(try spoolFiles(in: spool).isEmpty)
    }

    @Test func nonMatchingRequestKeepsItsBodyInMemory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")
        let responder = ClosureResponder { request in
            let text = "file=\(request.bodyFile ?? "nil") body=\(String(buffer: request.body))"
            return HTTPResponse(body: .bytes(ByteBuffer(string: text)))
        }
        try await withServer(
            .unix(path: socket, mode: 0o600),
            responder: responder,
            maxRequestBodySize: 1024,
            bodySpooling: .imageUploads(spool)
        ) { _ in
            try await withRawConnection(unixPath: socket) { connection in
                // Same path, other method; and another path.
                try await connection.send("GET /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                #expect(try await connection.readUntil("\r\n\r\nfile=nil body=hello").hasPrefix("HTTP/1.1 200 OK\r\n"))
                try await connection.send(
                    "POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                )
                #expect(try await connection.readUntil("\r\n\r\nfile=nil body=hello world").hasPrefix("HTTP/1.1 200 OK\r\n"))
                // The in-memory limit still applies to them.
                try await connection.send("POST /build HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n")
                try await connection.send(ByteBuffer(repeating: 0x61, count: 2048))
                #expect(try await connection.readToEnd(resetCountsAsEnd: true).hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: spool))
    }

    @Test func clientDisconnectingMidBodyLeavesNoFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")
        let called = SpooledRequests()
        let responder = ClosureResponder { request in
            await called.append(SpooledRequest(request, expected: nil))
            return HTTPResponse()
        }
        try await withServer(.unix(path: socket, mode: 0o600), responder: responder, bodySpooling: .imageUploads(spool)) { server in
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(64 << 20)\r\n\r\n")
                try await connection.send(ByteBuffer(repeating: 0x61, count: 3 << 20))
                // Wait until some of the body is on disk.
                let written = try await eventually {
                    try spoolFiles(in: spool).contains { fileSize(spool + "/" + $0) >= 1 << 20 }
                }
                #expect(written)
                #expect(await server.inFlight == 1)
            }  // closes the client side mid-body
            #expect(try await eventually { try spoolFiles(in: spool).isEmpty })
            #expect(try await eventually { await server.inFlight == 0 })
        }
        #expect(await called.all.isEmpty)
    }

    @Test func shutdownMidBodyLeavesNoFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let spool = directory.path("spool")
        let server = HTTPServer(
            addresses: [.unix(path: socket, mode: 0o600)],
            responder: PingResponder(),
            logger: testLogger,
            bodySpooling: .imageUploads(spool)
        )
        try await server.start()
        try await withRawConnection(unixPath: socket) { connection in
            try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: \(64 << 20)\r\n\r\n")
            try await connection.send(ByteBuffer(repeating: 0x61, count: 3 << 20))
            #expect(try await eventually { try spoolFiles(in: spool).count == 1 })
            // The upload does not finish within the drain time: its connection is closed, its file removed.
            await server.shutdown(drainTimeout: .milliseconds(100))
            #expect(try spoolFiles(in: spool).isEmpty)
            #expect(try await connection.readToEnd(resetCountsAsEnd: true) == "")
        }
    }

    @Test func unusableDirectoryGets500() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.path("api.sock")
        let called = SpooledRequests()
        let responder = ClosureResponder { request in
            await called.append(SpooledRequest(request, expected: nil))
            return HTTPResponse()
        }
        // The parent is missing: only the last component of the directory is created.
        let spool = directory.path("missing/spool")
        try await withServer(.unix(path: socket, mode: 0o600), responder: responder, bodySpooling: .imageUploads(spool)) { _ in
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
                let response = try await connection.readToEnd(resetCountsAsEnd: true)
                #expect(response.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
                #expect(response.hasSuffix("\r\n\r\n{\"message\":\"store request body: No such file or directory\"}\n"))
            }
            try await withRawConnection(unixPath: socket) { connection in
                try await connection.send(
                    "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"
                )
                #expect(try await connection.readToEnd(resetCountsAsEnd: true).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
            }
        }
        #expect(await called.all.isEmpty)
    }

    @Test func jsonMessagesAreEscaped() {
        #expect(HTTPConnection.jsonString(#"a "b" \c"# + "\n\u{1}é") == #""a \"b\" \\c\n\u0001é""#)
    }
}

// MARK: - Helpers

/// Answers `/_ping` like dockerd, `/echo…` with the path, query and body size, anything else with 200.
private struct PingResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if request.path.hasPrefix("/echo") {
            let text = "path=\(request.path) query=\(request.query.count) body=\(request.body.readableBytes)"
            return HTTPResponse(body: .bytes(ByteBuffer(string: text)))
        }
        let headers: HTTPHeaders = [
            "Api-Version": "1.51",
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "no-cache, no-store, must-revalidate",
        ]
        return HTTPResponse(headers: headers, body: .bytes(ByteBuffer(string: "OK")))
    }
}

private struct ClosureResponder: HTTPResponder {
    let handler: @Sendable (HTTPRequest) async -> HTTPResponse

    init(_ handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.handler = handler
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        await self.handler(request)
    }
}

extension HTTPResponse {
    /// A streamed 200 response.
    fileprivate static func streaming(
        headers: HTTPHeaders = [:],
        _ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: headers, body: .stream(produce))
    }
}


/// Runs /usr/bin/curl without blocking a cooperative thread; returns its standard output.
private func curl(_ arguments: [String]) async throws -> String {
    let output = try TemporaryDirectory()
    defer { output.remove() }
    let outputPath = output.path("stdout")
    #expect(FileManager.default.createFile(atPath: outputPath, contents: nil))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["--silent", "--show-error", "--max-time", "30"] + arguments
    process.standardOutput = handle
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { process in
            continuation.resume(returning: process.terminationStatus)
        }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    #expect(status == 0, "curl \(arguments) exited with \(status)")
    return String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
}

/// Makes a unix stream socket bound at `path`, listening or not, with the plain socket API.
private func makeUnixSocket(at path: String, listening: Bool) throws -> Int32 {
    #if canImport(Glibc) || canImport(Musl)
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    try #require(descriptor >= 0)
    let address = try SocketAddress(unixDomainSocketPath: path)
    let bound = address.withSockAddr { pointer, length in
        bind(descriptor, pointer, socklen_t(length))
    }
    try #require(bound == 0)
    if listening {
        try #require(listen(descriptor, 16) == 0)
    }
    return descriptor
}

extension BodySpooling {
    /// Spools `POST /images/load` and `POST /images/create`, with or without an API version prefix.
    fileprivate static func imageUploads(_ directory: String, maxBodySize: Int64 = BodySpooling.defaultMaxBodySize) -> Self {
        BodySpooling(directory: directory, maxBodySize: maxBodySize) { method, path in
            method == .POST && (path.hasSuffix("/images/load") || path.hasSuffix("/images/create"))
        }
    }
}

/// What a responder saw of a spooled request.
private struct SpooledRequest: Sendable {
    var path: String
    var file: String
    var bodyInMemory: Int
    var mode: mode_t?
    var size: Int64
    /// Where the file differs from the body sent; nil when it does not (or nothing was expected).
    var mismatch: String?

    init(_ request: HTTPRequest, expected: PatternBody?) {
        self.path = request.path
        self.file = request.bodyFile ?? ""
        self.bodyInMemory = request.body.readableBytes
        self.mode = fileMode(self.file)
        self.size = fileSize(self.file)
        self.mismatch = expected?.mismatch(inFileAt: self.file)
    }
}

private actor SpooledRequests {
    private(set) var all: [SpooledRequest] = []

    func append(_ request: SpooledRequest) {
        self.all.append(request)
    }
}

/// A body of `size` bytes made of 1 MiB blocks, each starting with its index, so that a missing, repeated
/// or reordered block shows.
private struct PatternBody: Sendable {
    static let blockSize = 1 << 20
    let size: Int
    private let pattern: [UInt8]

    init(size: Int) {
        self.size = size
        self.pattern = (0..<Self.blockSize).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 10) }
    }

    var blockCount: Int {
        (self.size + Self.blockSize - 1) / Self.blockSize
    }

    func block(_ index: Int) -> [UInt8] {
        var bytes = Array(self.pattern.prefix(min(Self.blockSize, self.size - index * Self.blockSize)))
        withUnsafeBytes(of: UInt64(index).littleEndian) { header in
            for (offset, byte) in header.prefix(bytes.count).enumerated() {
                bytes[offset] = byte
            }
        }
        return bytes
    }

    /// Compares the file at `path` with this body, block by block.
    func mismatch(inFileAt path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "open: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Self.blockSize)
        for index in 0...self.blockCount {
            let expected = index < self.blockCount ? self.block(index) : []
            let count = buffer.withUnsafeMutableBytes { readFully(descriptor, into: $0) }
            guard count == expected.count else {
                return "block \(index): read \(count) bytes, expected \(expected.count)"
            }
            let same = buffer.withUnsafeBytes { actual in
                expected.withUnsafeBytes { wanted in
                    guard let actual = actual.baseAddress, let wanted = wanted.baseAddress else { return count == 0 }
                    return memcmp(actual, wanted, count) == 0
                }
            }
            guard same else { return "block \(index) differs" }
        }
        return nil
    }
}

/// Reads until `buffer` is full or the file ends; returns the number of bytes read (-1 on an error).
private func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var total = 0
    while total < buffer.count {
        let count = read(descriptor, base + total, buffer.count - total)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return count < 0 ? -1 : total }
        total += count
    }
    return total
}

/// The names of the spooled body files in `directory` (none when it does not exist).
private func spoolFiles(in directory: String) throws -> [String] {
    guard FileManager.default.fileExists(atPath: directory) else { return [] }
    return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(BodySpooling.filePrefix) }
}

private func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

private func fileSize(_ path: String) -> Int64 {
    var info = stat()
    guard lstat(path, &info) == 0 else { return -1 }
    return Int64(info.st_size)
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
