import Foundation
import Messages
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A legacy plugin for tests: an HTTP/1.1 server on a unix socket (or on a TCP port of 127.0.0.1) that
/// answers `Plugin.Activate` with the kinds it implements, and other methods with route closures
/// (404 for the others). It records every request it receives.
final class FakePlugin: Sendable {
    typealias Route = @Sendable (JSONValue) async throws -> FakeReply
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The TCP port, when it listens on TCP.
    let port: Int?
    private let log: RequestLog
    private let server: Task<Void, Never>

    /// The requests received so far, in order.
    var received: [ReceivedRequest] { log.entries }
    var activations: Int { received.filter { $0.method == "Plugin.Activate" }.count }

    private init(port: Int?, log: RequestLog, server: Task<Void, Never>) {
        self.port = port
        self.log = log
        self.server = server
    }

    /// Listens on the unix socket `path` (replacing a stale one), or on TCP when `path` is nil.
    static func start(at path: String?, implements: [String], routes: [String: Route] = [:]) async throws -> FakePlugin {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        let initializer: @Sendable (Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                return try Connection(wrappingChannelSynchronously: channel)
            }
        }
        let listener =
            if let path {
                try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
            } else {
                try await bootstrap.bind(host: "127.0.0.1", port: 0, childChannelInitializer: initializer)
            }
        var routes = routes
        routes["Plugin.Activate"] = { _ in .json(["Implements": .from(implements)]) }
        let log = RequestLog()
        let server = Task<Void, Never> { [routes] in
            _ = try? await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { try? await serve(connection, routes: routes, log: log) }
                    }
                }
            }
        }
        return FakePlugin(port: path == nil ? listener.channel.localAddress?.port : nil, log: log, server: server)
    }

    /// Closes the listener and every connection; the socket file stays, as a crashed plugin leaves it.
    func stop() async {
        server.cancel()
        await server.value
    }

    private static func serve(_ connection: Connection, routes: [String: Route], log: RequestLog) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { continue }
                    let method = String(head.uri.dropFirst())
                    let document = (try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))) ?? .null
                    log.append(ReceivedRequest(method: method, body: document, headers: head.headers))
                    let reply = try await routes[method]?(document) ?? .text("404 page not found", status: 404)
                    let responseHead = HTTPResponseHead(
                        version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status),
                        headers: ["Content-Type": "application/vnd.docker.plugins.v1.2+json", "Content-Length": "\(reply.body.count)"])
                    try await outbound.write(.head(responseHead))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: reply.body))))
                    try await outbound.write(.end(nil))
                }
            }
        }
    }
}

/// What a fake plugin answers.
struct FakeReply: Sendable {
    var status: Int
    var body: Data

    static func json(_ document: JSONValue, status: Int = 200) -> FakeReply { FakeReply(status: status, body: document.encoded()) }
    static func text(_ text: String, status: Int) -> FakeReply { FakeReply(status: status, body: Data(text.utf8)) }
}

/// One request a fake plugin received.
struct ReceivedRequest: Sendable {
    var method: String
    var body: JSONValue
    var headers: HTTPHeaders
}

private final class RequestLog: Sendable {
    private let requests = Mutex<[ReceivedRequest]>([])

    var entries: [ReceivedRequest] { requests.withLock { $0 } }

    func append(_ request: ReceivedRequest) { requests.withLock { $0.append(request) } }
}

/// Leaves a unix socket file at `path` that nothing listens on, as a crashed plugin does.
func leaveStaleSocket(at path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { destination in
        path.utf8CString.withUnsafeBytes { destination.copyBytes(from: $0.prefix(destination.count - 1)) }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
}
