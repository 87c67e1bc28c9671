import Logging
import NIOCore
import NIOHTTP1

/// The hijack of attach and exec start (``HTTPResponse/Body/upgrade(_:)``).
extension HTTPConnection {
    /// Answers `request` with the hijack head, turns the connection into a raw byte pipe, and runs `run` on
    /// it until it returns, throws or is interrupted; the caller then closes the connection.
    func hijack(
        _ run: @escaping @Sendable (HijackedConnection) async throws -> Void,
        headers: HTTPHeaders,
        for request: HTTPRequestHead,
        parts: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        id: Int,
        interrupt: ConnectionInterrupt
    ) async throws {
        let upgrading = request.headers.contains(name: "upgrade")
        let head = self.hijackHead(headers, upgrading: upgrading, uri: request.uri)
        try await HTTPPipeline.hijack(self.channel.channel, head: head).get()
        _ = self.context.registry.enter(.streaming, id: id)

        let connection = HijackedConnection(parts: parts, outbound: outbound)
        let result = await Self.runUntilInterrupted(interrupt) { try await run(connection) }
        connection.close()
        if case .failure(let error) = result, !interrupt.isFired {
            self.context.logger.debug(
                "close hijacked connection after error",
                metadata: ["uri": "\(request.uri)", "error": "\(error)"]
            )
        }
        // Closing the output waits for the pending writes, so the client gets all of the output before the
        // end of the stream. It fails at once on a connection that is already closed.
        try? await self.channel.channel.close(mode: .output)
    }

    /// The head dockerd writes on a hijacked connection: `101 UPGRADED` to a request that asked for an
    /// upgrade, `200 OK` otherwise. The response's framing and upgrade headers are left out, as is a field
    /// that is not valid HTTP (logged).
    func hijackHead(_ headers: HTTPHeaders, upgrading: Bool, uri: String) -> ByteBuffer {
        var text = upgrading ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n"
        let managed: Set<String> = ["content-length", "transfer-encoding", "connection", "upgrade"]
        for (name, value) in headers where !managed.contains(name.lowercased()) {
            guard HTTPField.isValid(name: name, value: value) else {
                self.context.logger.error(
                    "drop invalid header of hijack response",
                    metadata: ["uri": "\(uri)", "header": "\(name.debugDescription)"]
                )
                continue
            }
            text += "\(name): \(value)\r\n"
        }
        if upgrading {
            text += "Connection: Upgrade\r\nUpgrade: tcp\r\n"
        }
        return ByteBuffer(string: text + "\r\n")
    }
}
