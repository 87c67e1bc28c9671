import NIOCore
import Synchronization

/// An accepted connection on its way from the listener's channel to the task that serves it.
///
/// NIO traps when the outbound writer of an async channel is dropped without being finished. An accepted
/// connection can be dropped on the way: the listener's inbound stream ends (its socket closed during a
/// drain, or its task cancelled) while connections are buffered in it or still arriving. Whoever serves
/// the connection ``take()``s it; one that nobody took finishes its writer and closes its channel when
/// it is dropped.
final class PendingConnection: Sendable {
    private let connection: Mutex<HTTPServerChannel?>

    init(_ connection: HTTPServerChannel) {
        self.connection = Mutex(connection)
    }

    /// The connection, once: the caller now owns it (and must run it through `executeThenClose`).
    func take() -> HTTPServerChannel? {
        self.connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
    }

    deinit {
        guard let dropped = self.take() else { return }
        // executeThenClose finishes the writer and closes the channel; it needs a task of its own here.
        Task { try? await dropped.executeThenClose { _, _ in } }
    }
}
