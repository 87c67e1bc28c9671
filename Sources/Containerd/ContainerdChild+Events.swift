import ContainerdAPI
import Foundation
import GRPCCore
import Messages

extension ContainerdChild {
    public func outOfMemoryEvents() async throws -> AsyncThrowingStream<String, any Error> {
        let connection = try connected()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: String.self)
        let subscription = Task {
            do {
                try await connection.events.subscribe(
                    .with { $0.filters = ["topic==\"/tasks/oom\",namespace==\"\(Self.namespace)\""] }, options: ContainerdConnection.streaming
                ) { response in
                    for try await envelope in response.messages {
                        if let event = try? Containerd_Events_TaskOOM(unpackingAny: envelope.event) { continuation.yield(event.containerID) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: EngineError.containerd("events subscribe", error))
            }
        }
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }
}
