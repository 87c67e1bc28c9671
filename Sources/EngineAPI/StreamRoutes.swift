import Foundation
import Messages
import NIOCore
import NIOHTTP1
import Supervision

/// The endpoints that stream a process's input and output: attach and exec start (hijacked
/// connections), and logs (a streamed body).
enum StreamRoutes {
    static let all: [Route] = [
        Route(.POST, path: "/containers/{id}/attach", handler: attach),
        Route(.GET, path: "/containers/{id}/logs", handler: logs),
        Route(.POST, path: "/containers/{id}/exec", handler: createExec),
        Route(.POST, path: "/exec/{id}/start", handler: startExec),
        Route(.GET, path: "/exec/{id}/json", handler: inspectExec),
        Route(.POST, path: "/exec/{id}/resize", handler: resizeExec),
    ]

    static func attach(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let request = context.request
        let keys = try DetachKeys(request.query("detachKeys"))
        let attach = AttachRequest(
            stdin: request.flag("stdin"), stdout: request.flag("stdout"), stderr: request.flag("stderr"), logs: request.flag("logs"),
            stream: request.flag("stream"), detachKeys: request.query("detachKeys"))
        let (session, end) = try await ContainerRoutes.containers(context).askStreaming { try await $0.attach(id, attach) }
        return hijack(session, until: end, detachKeys: keys, version: context.version)
    }

    static func logs(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let request = context.request
        let logs = LogsRequest(
            stdout: request.flag("stdout"), stderr: request.flag("stderr"), follow: request.flag("follow"), since: request.query("since"),
            until: request.query("until"), tail: request.query("tail"))
        let timestamps = request.flag("timestamps")
        let (session, end) = try await ContainerRoutes.containers(context).askStreaming { try await $0.logs(id, logs) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: StreamFraming.contentType(tty: session.tty, version: context.version))
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            try await relay(session.output, until: end) { chunk in
                try await writer.write(StreamFraming.frame(chunk, tty: session.tty, timestamps: timestamps))
            }
        })
    }

    static func createExec(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let config = try context.request.decodeBody(ExecConfig.self)
        let execID = try await ContainerRoutes.containers(context).ask { try await $0.createExec(id, config) }
        return .json(["Id": .string(execID)], status: .created)
    }

    private struct ExecStartBody: Decodable {
        var Detach: Bool?
        var Tty: Bool?
    }

    static func startExec(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let body = context.request.body.readableBytes > 0 ? try context.request.decodeBody(ExecStartBody.self) : ExecStartBody()
        let detach = body.Detach ?? false
        let exec = try await ContainerRoutes.containers(context).ask { try await $0.inspectExec(id) }
        let keys = try DetachKeys(exec.config.DetachKeys)
        let containers = ContainerRoutes.containers(context)
        let (session, end) = try await containers.askStreaming(deadline: .containerLifecycle) { try await $0.startExec(id, detach: detach, tty: body.Tty) }
        return detach ? .empty(.ok) : hijack(session, until: end, detachKeys: keys, version: context.version) {
            try await containers.ask(deadline: .containerLifecycle) { try await $0.launchExec(id) }
        }
    }

    static func inspectExec(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        return .json(ContainerDocuments.exec(try await ContainerRoutes.containers(context).ask { try await $0.inspectExec(id) }))
    }

    static func resizeExec(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let (width, height) = try ContainerRoutes.size(context)
        try await ContainerRoutes.containers(context).ask { try await $0.resizeExec(id, width: width, height: height) }
        return .empty(.ok)
    }

    /// Turns the connection into the session's byte pipe: once the head is out, `begin` runs (an exec
    /// starts its process there); then output frames go out until the process's output ends (or the
    /// client types the detach keys); the client's bytes feed stdin, and its half-close closes stdin.
    /// A crash of the incarnation serving the session (`end`) closes the connection, as a restart of
    /// dockerd does: the old incarnation's output no longer flows.
    static func hijack(
        _ session: StreamSession, until end: IncarnationEnd, detachKeys: DetachKeys, version: APIVersion,
        then begin: @escaping @Sendable () async throws -> Void = {}
    ) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: StreamFraming.contentType(tty: session.tty, version: version))
        return HTTPResponse(status: .switchingProtocols, headers: headers, body: .upgrade { connection in
            do {
                try await begin()
            } catch {
                let message = ErrorMapping.response(for: error).message + "\n"
                try? await connection.write(StreamFraming.frame(OutputChunk(stream: .stderr, bytes: Array(message.utf8)), tty: session.tty))
                return
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await end.wait() }
                group.addTask {
                    for await chunk in session.output {
                        guard (try? await connection.write(StreamFraming.frame(chunk, tty: session.tty))) != nil else { return }
                    }
                }
                group.addTask {
                    var keys = detachKeys
                    do {
                        for try await buffer in connection.inbound {
                            let (forward, detached) = keys.scan(Array(buffer.readableBytesView))
                            if !forward.isEmpty { await session.stdin?.write(forward) }
                            if detached { return }
                        }
                    } catch {}
                    await session.stdin?.close()
                    // Output goes on until the process ends: this task is done, not the session.
                    try? await Task.sleep(for: .seconds(365 * 24 * 3600))
                }
                await group.next()
                group.cancelAll()
            }
        })
    }

    /// Writes a session's output until it ends or the incarnation that produces it ends (a crash cuts
    /// the stream; the response then ends cleanly, as when dockerd restarts).
    static func relay(
        _ output: AsyncStream<OutputChunk>, until end: IncarnationEnd, _ write: @escaping @Sendable (OutputChunk) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await end.wait() }
            group.addTask {
                for await chunk in output { try await write(chunk) }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
