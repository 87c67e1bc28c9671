import NIOCore
import NIOHTTP1
import Synchronization

/// Writes the chunks of a streamed response (``HTTPResponse/Body/stream(_:)``): docker events, logs,
/// pull progress, wait.
///
/// Each write is flushed at once. It waits while the client is not reading fast enough, and throws once the
/// client has disconnected, the producer's task is cancelled, or the producer has returned (the writer must
/// not outlive the producer closure).
public struct ResponseBodyWriter: Sendable {
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    private let state: State

    init(outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) {
        self.outbound = outbound
        self.state = State()
    }

    /// Sends `bytes` as the next part of the body and flushes it; an empty buffer is ignored.
    public func write(_ bytes: ByteBuffer) async throws {
        try Task.checkCancellation()
        guard self.state.isOpen.load(ordering: .acquiring) else {
            throw HTTPServerError(code: .responseFinished, message: "the streamed response has already ended")
        }
        guard bytes.readableBytes > 0 else { return }
        try await self.outbound.write(.body(.byteBuffer(bytes)))
    }

    /// Makes later writes throw; called by the connection once the producer has returned.
    func close() {
        self.state.isOpen.store(false, ordering: .releasing)
    }

    private final class State: Sendable {
        let isOpen = Atomic<Bool>(true)
    }
}
