import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import EngineAPI

@Suite("Immediate request heads")
struct ImmediateRequestTests {
    private func parse(_ text: String) -> ImmediateRequest? {
        Array(text.utf8).withUnsafeBytes(ImmediateRequest.parse)
    }

    @Test func plainGetAndHeadAreTaken() {
        let get = "GET /v1.47/_ping HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Docker-Client/28\r\n\r\n"
        #expect(self.parse(get) == ImmediateRequest(method: .GET, uri: "/v1.47/_ping", length: get.utf8.count))
        let head = "HEAD /_ping HTTP/1.1\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\nGET /next"
        #expect(self.parse(head) == ImmediateRequest(method: .HEAD, uri: "/_ping", length: head.utf8.count - 9))
        #expect(self.parse("GET / HTTP/1.1\r\n\r\n")?.uri == "/")
    }

    @Test func anythingElseIsLeftToTheCodec() {
        let refused = [
            "GET /_ping HTTP/1.1\r\nHost: x\r\n",  // partial
            "GET /_ping HTTP/1.0\r\n\r\n",
            "POST /_ping HTTP/1.1\r\n\r\n",
            "get /_ping HTTP/1.1\r\n\r\n",
            "GET  /_ping HTTP/1.1\r\n\r\n",
            "GET _ping HTTP/1.1\r\n\r\n",
            "GET /_ping HTTP/1.1\nHost: x\n\n",
            "GET /_ping HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi",
            "GET /_ping HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nBad Name: 1\r\n\r\n",
            "GET /_ping HTTP/1.1\r\n: empty\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
        ]
        for text in refused {
            #expect(self.parse(text) == nil, "\(text.debugDescription)")
        }
    }
}

@Suite("Immediate responses")
struct ImmediateResponseTests {
    @Test func fastAnswersStopAtTheFirstOtherRequest() async throws {
        try await withFastPathConnection { connection in
            try await connection.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            let get = try await connection.readUntil("\r\n\r\nimmediate")
            #expect(get.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(get.contains("X-Path: fast\r\ncontent-length: 9\r\n\r\n"))

            try await connection.send("HEAD /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await connection.readUntil("\r\n\r\n")
            #expect(head.contains("content-length: 9\r\n"))

            try await connection.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await connection.readUntil("slow /other")
            // The head above left nothing unread: no body came after it.
            #expect(connection.pending.isEmpty)

            try await connection.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await connection.readUntil("slow /fast")
        }
    }

    @Test func pipelinedRequestsStayInOrder() async throws {
        try await withFastPathConnection { connection in
            try await connection.send(
                "GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nConnection: close\r\n\r\n"
            )
            let all = try await connection.readToEnd(resetCountsAsEnd: true)
            // Each body runs from the end of its head to the start of the next response.
            let bodies = all.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.components(separatedBy: "HTTP/1.1 ")[0] }
            #expect(bodies == ["immediate", "immediate", "slow /b", "slow /fast"])
            #expect(all.lowercased().contains("connection: close"))
        }
    }

    @Test func connectionCloseGoesTheUsualWay() async throws {
        try await withFastPathConnection { connection in
            try await connection.send("GET /fast HTTP/1.1\r\nConnection: close\r\n\r\n")
            let all = try await connection.readToEnd(resetCountsAsEnd: true)
            #expect(all.hasSuffix("slow /fast"))
            #expect(all.lowercased().contains("connection: close"))
        }
    }

    @Test func encodingKeepsHeadersAndFramesTheBody() throws {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")])
        let encoded = try #require(EncodedResponse(HTTPResponse(headers: headers, body: .bytes(ByteBuffer(string: "OK")))))
        #expect(String(buffer: encoded.bytes(for: .GET)) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 2\r\n\r\nOK")
        #expect(String(buffer: encoded.bytes(for: .HEAD)) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 2\r\n\r\n")
        headers.add(name: "Connection", value: "close")
        #expect(EncodedResponse(HTTPResponse(headers: headers)) == nil)
        #expect(EncodedResponse(HTTPResponse(headers: ["X-Bad": "a\r\nb"])) == nil)
        #expect(EncodedResponse(HTTPResponse(body: .stream { _ in })) == nil)
    }
}

/// Runs `body` on a raw connection to a server with a ``FastPathResponder``.
private func withFastPathConnection(_ body: (inout RawConnection) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("api.sock")
    try await withServer(.unix(path: path, mode: 0o600), responder: FastPathResponder()) { _ in
        try await withRawConnection(unixPath: path, timeout: .seconds(10), body)
    }
}

/// Answers `/fast` immediately with `immediate`, and every request that reaches it with `slow <path>`.
private struct FastPathResponder: HTTPResponder {
    private let fast = EncodedResponse(HTTPResponse(headers: ["X-Path": "fast"], body: .bytes(ByteBuffer(string: "immediate"))))

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        HTTPResponse(body: .bytes(ByteBuffer(string: "slow \(request.path)")))
    }

    func immediateResponse(to request: HTTPRequest) -> EncodedResponse? {
        request.path == "/fast" ? self.fast : nil
    }
}
