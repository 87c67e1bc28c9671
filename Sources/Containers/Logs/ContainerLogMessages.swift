import Messages

/// The entries a logs request asks for, oldest first, as an asynchronous sequence: the existing ones,
/// then, when following a running container, new ones as they are written, until the writer closes or
/// the consumer stops iterating (or its task is cancelled).
///
/// Files are opened when iteration starts, and read a chunk at a time as the consumer asks: a slow client
/// holds back reading, nothing piles up in memory. Followers wait on the writer's in-process signal, with
/// no polling.
public struct ContainerLogMessages: AsyncSequence, Sendable {
    public typealias Element = LogMessage

    private let files: ContainerLogFiles
    private let writer: ContainerLogWriter?
    private let options: LogReadOptions

    /// Checks the request as dockerd does before it answers 200.
    init(files: ContainerLogFiles, writer: ContainerLogWriter?, options: LogReadOptions) throws(EngineError) {
        guard options.stdout || options.stderr else { throw .invalidArgument("You must choose at least one stream") }
        guard files.driver != .none else { throw .notImplemented("configured logging driver does not support reading") }
        self.files = files
        self.writer = writer
        self.options = options
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(session: LogReadSession(files: files, writer: writer, options: options))
    }

    public struct Iterator: AsyncIteratorProtocol {
        let session: LogReadSession

        public mutating func next() async throws -> LogMessage? {
            try await session.next()
        }
    }
}
