/// One piece of a process's output (or of a replayed log).
public struct OutputChunk: Sendable, Equatable {
    public enum Stream: UInt8, Sendable, Codable {
        case stdin = 0, stdout = 1, stderr = 2
    }

    public var stream: Stream
    public var bytes: [UInt8]
    /// Unix nanoseconds when the bytes were read; 0 when unknown.
    public var timeNano: Int64

    public init(stream: Stream, bytes: [UInt8], timeNano: Int64 = 0) {
        self.stream = stream
        self.bytes = bytes
        self.timeNano = timeNano
    }
}

/// Feeds a process's stdin from a client connection. `close()` is the client's half-close.
public struct StdinWriter: Sendable {
    private let writeBytes: @Sendable ([UInt8]) async -> Void
    private let closeInput: @Sendable () async -> Void

    public init(write: @escaping @Sendable ([UInt8]) async -> Void, close: @escaping @Sendable () async -> Void) {
        writeBytes = write
        closeInput = close
    }

    public func write(_ bytes: [UInt8]) async { await writeBytes(bytes) }
    public func close() async { await closeInput() }
}

/// A client's connection to a process's streams (attach, exec start). `output` ends when the process
/// exits and its output is drained, or when the client detaches.
public struct StreamSession: Sendable {
    /// With a terminal, output is raw (stdout and stderr merged); else multiplexed frames.
    public var tty: Bool
    public var output: AsyncStream<OutputChunk>
    /// `nil` unless the client asked for stdin and the process has it open.
    public var stdin: StdinWriter?

    public init(tty: Bool, output: AsyncStream<OutputChunk>, stdin: StdinWriter?) {
        self.tty = tty
        self.output = output
        self.stdin = stdin
    }
}
