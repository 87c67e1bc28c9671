import Foundation
import Messages
import NIOCore
import NIOHTTP1
import Supervision
import Synchronization

/// Runs a long image operation that reports progress (pull, push) and answers with Docker's JSON
/// progress stream. An error before the first progress line is an ordinary error response (so the
/// CLI prints "Error response from daemon: …"); a later one is reported in the stream, as
/// `{"errorDetail":{"message":…},"error":…}`.
enum ProgressResponse {
    /// `registering`: a name under which `RunningOperations` can cancel the operation while it runs.
    ///
    /// The lines wait in a ``ProgressSink`` until the response's writer takes them, and the writer waits
    /// for the client: a client that stops reading holds the operation up (or, for lines that cannot
    /// wait, has its progress bars coalesced) instead of making berthd keep every line.
    static func run(
        registering name: (String, RunningOperations)? = nil, _ operation: @escaping @Sendable (ProgressSink) async throws -> Void
    ) async throws -> HTTPResponse {
        let sink = ProgressSink()
        let outcome = OneShotResult()
        // Unstructured on purpose: the operation outlives this call and feeds the streamed body.
        let task = Task {
            do {
                try await operation(sink)
                outcome.set(nil)
            } catch {
                outcome.set(error)
            }
            if let (id, registry) = name { registry.remove(id) }
            sink.finish()
        }
        if let (id, registry) = name {
            registry.add(id, task)
            if outcome.isSet { registry.remove(id) }
        }
        // Whether a first line comes before the end decides between a stream and an error response.
        guard let first = await sink.next() else {
            _ = await task.value
            if let error = outcome.error { throw error }
            return jsonLines([])
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let unread = ClosingOnRelease(sink)
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            try await withTaskCancellationHandler {
                defer { unread.sink.close() }
                var line: ProgressLine? = first
                while let current = line {
                    try await writer.write(encode(current))
                    line = await sink.next()
                }
                _ = await task.value
                if let error = outcome.error {
                    let message = ErrorMapping.response(for: error).message
                    var detail: [(String, JSONValue)] = [("message", .string(message))]
                    if let failure = error as? BuildStepFailure { detail.insert(("code", .int(Int64(failure.exitCode))), at: 0) }
                    try await writer.write(frame(["errorDetail": .object(detail), "error": .string(message)]))
                }
            } onCancel: {
                task.cancel()
                sink.close()
            }
        })
    }

    /// A body of JSON lines.
    static func jsonLines(_ values: [JSONValue]) -> HTTPResponse {
        var body = ByteBuffer()
        for value in values { body.writeImmutableBuffer(frame(value)) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(body))
    }

    static func encode(_ line: ProgressLine) -> ByteBuffer {
        if let stream = line.stream { return frame(["stream": .string(stream)]) }
        if line.status.isEmpty, let aux = line.aux { return frame(["aux": .from(aux)]) }
        var members: [(String, JSONValue)] = [("status", .string(line.status))]
        if let id = line.id { members.append(("id", .string(id))) }
        if let current = line.current {
            var detail: [(String, JSONValue)] = [("current", .int(current))]
            if let total = line.total { detail.append(("total", .int(total))) }
            members.append(("progressDetail", .object(detail)))
        } else {
            members.append(("progressDetail", [:]))
        }
        if let aux = line.aux { members.append(("aux", .from(aux))) }
        return frame(.object(members))
    }

    private static func frame(_ value: JSONValue) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: value.encoded())
        buffer.writeString("\r\n")
        return buffer
    }
}

/// Closes its sink once released: a response whose body is never written (a `HEAD`) lets its operation
/// go on without waiting for a reader.
private final class ClosingOnRelease: Sendable {
    let sink: ProgressSink

    init(_ sink: ProgressSink) {
        self.sink = sink
    }

    deinit {
        sink.close()
    }
}

/// The error an operation ended with, set once.
private final class OneShotResult: Sendable {
    private let box = Mutex<(set: Bool, error: (any Error)?)>((false, nil))

    func set(_ error: (any Error)?) {
        box.withLock { if !$0.set { $0 = (true, error) } }
    }

    var error: (any Error)? { box.withLock { $0.error } }

    var isSet: Bool { box.withLock { $0.set } }
}
