import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A status and body a plugin answered.
struct PluginReply: Sendable {
    var status: Int
    var body: Data
}

/// Why an exchange with a plugin failed.
enum PluginExchangeError: Error, Equatable {
    /// No connection could be made (refused, socket gone): the request never reached the plugin, so it
    /// may be sent again.
    case unreachable(String)
    /// The connection broke after the request was sent, before a complete reply.
    case broken(String)
    /// No complete reply within the timeout.
    case timedOut
}

/// The plugin protocol's transport: one `POST` over HTTP/1.1 per connection, on a unix socket or TCP.
///
/// Each exchange has its own connection, closed when the reply is read, so a plugin that restarted is
/// never reached through a stale one, and a plugin that hangs holds nothing but its own connection.
/// It runs on NIO's shared event loops: there is nothing to shut down.
enum PluginHTTPClient {
    /// The media type of the plugin protocol, sent as `Accept` and `Content-Type`.
    static let mediaType = "application/vnd.docker.plugins.v1.2+json"
    /// The largest reply read: a plugin answers with a small JSON document, and one that sends without
    /// end must not take the daemon's memory.
    static let maxReplySize = 16 << 20

    /// Posts `body` to `path` and reads the whole reply, within `timeout` (connecting included).
    static func post(_ body: Data, to address: PluginAddress, path: String, timeout: Duration) async throws -> PluginReply {
        try await withThrowingTaskGroup(of: PluginReply.self) { group in
            group.addTask { try await exchange(body, address: address, path: path, connectTimeout: timeout) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PluginExchangeError.timedOut
            }
            defer { group.cancelAll() }
            guard let reply = try await group.next() else { throw PluginExchangeError.timedOut }
            return reply
        }
    }

    private typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    private static func exchange(_ body: Data, address: PluginAddress, path: String, connectTimeout: Duration) async throws -> PluginReply {
        let connection = try await connect(to: address, timeout: connectTimeout)
        return try await connection.executeThenClose { inbound, outbound in
            do {
                // In one write: a plugin may answer and close as soon as it has the body, before a
                // separate write of the (empty) end would reach the channel.
                try await outbound.write(contentsOf: [
                    .head(requestHead(path: path, address: address, length: body.count)),
                    .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil),
                ])
                var status = 0
                var received = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let head): status = Int(head.status.code)
                    case .body(var chunk):
                        guard chunk.readableBytes <= maxReplySize - received.readableBytes else {
                            throw PluginExchangeError.broken("the reply is larger than \(maxReplySize) bytes")
                        }
                        received.writeBuffer(&chunk)
                    case .end: return PluginReply(status: status, body: Data(received.readableBytesView))
                    }
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as PluginExchangeError {
                throw error
            } catch {
                throw PluginExchangeError.broken(describe(error))
            }
            try Task.checkCancellation()
            throw PluginExchangeError.broken("the connection closed before a complete reply")
        }
    }

    private static func connect(to address: PluginAddress, timeout: Duration) async throws -> Connection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
        let initializer: @Sendable (Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try Connection(wrappingChannelSynchronously: channel)
            }
        }
        do {
            switch address {
            case .unix(let path): return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
            case .tcp(let host, let port): return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
            }
        } catch {
            throw PluginExchangeError.unreachable(describe(error))
        }
    }

    private static func requestHead(path: String, address: PluginAddress, length: Int) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
        if case .tcp(let host, let port) = address {
            head.headers.add(name: "Host", value: "\(host):\(port)")
        } else {
            head.headers.add(name: "Host", value: "plugin")
        }
        head.headers.add(name: "Accept", value: mediaType)
        head.headers.add(name: "Content-Type", value: mediaType)
        head.headers.add(name: "Content-Length", value: String(length))
        head.headers.add(name: "Connection", value: "close")
        return head
    }

    /// An error as a short phrase ("Connection refused" rather than NIO's description of the syscall).
    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first { return describe(first.error) }
        return "\(error)"
    }
}
