@testable import EngineAPI
import Foundation
import Logging

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
