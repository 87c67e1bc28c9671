import Messages
import Synchronization

/// Hands a process's output to every attached client. A client that subscribes while the process is
/// not running yet gets the next run's output; every subscription ends with the run it saw.
final class OutputHub: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<OutputChunk>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// A stream of the output from now on, until the end of the current (or next) run.
    func subscribe() -> AsyncStream<OutputChunk> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: OutputChunk.self, bufferingPolicy: .bufferingNewest(4096))
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ chunk: OutputChunk) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(chunk) }
    }

    /// Ends every subscription (the run is over and its output drained).
    func finishAll() {
        for continuation in subscribers.withLock({ subscribers in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }) { continuation.finish() }
    }
}
