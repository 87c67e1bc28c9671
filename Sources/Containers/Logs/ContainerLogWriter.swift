import Messages
import Synchronization

/// Writes one container's output to its log while the container runs: both streams' producers call
/// ``write(_:from:)``, possibly at once; entries are cut into lines (``LogLineSplitter``), stamped, written
/// and rotated as the driver says, and readers following the log are woken in-process.
/// ``close()`` when the container stops ends every follower.
///
/// Entries go to disk as they come, one `write(2)` each, with no buffering in memory; a failed write
/// throws to the producer and drops that entry. With the `none` driver nothing is written.
public final class ContainerLogWriter: Sendable {
    /// Where the log is written.
    public let files: ContainerLogFiles
    private let now: @Sendable () -> LogTimestamp
    let state: Mutex<State>

    struct State {
        /// The live file; nil once closed or with the `none` driver.
        var file: LogFile?
        var size: Int64 = 0
        /// How many times the writer rotated the log.
        var generation = 0
        var splitter = LogLineSplitter()
        var followers: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextFollower = 0
        var isClosed = false
    }

    /// Opens (or creates) the live file and appends to it, as a container restart does; `now` stamps entries.
    public init(files: ContainerLogFiles, now: @escaping @Sendable () -> LogTimestamp = LogTimestamp.now) throws(EngineError) {
        self.files = files
        self.now = now
        var initial = State()
        if files.driver != .none {
            let file = try LogFile.openForAppending(files.livePath)
            initial.size = try file.size()
            // A previous writer that died mid-entry left a torn line: end it so that new entries stay whole.
            if initial.size > 0, try LogFile.openForReading(files.livePath)?.read(at: initial.size - 1, count: 1) != [UInt8(ascii: "\n")] {
                try file.append([UInt8(ascii: "\n")])
                initial.size += 1
            }
            initial.file = file
        }
        state = Mutex(initial)
    }

    /// Logs `bytes` the container wrote on `stream` (`.stdout` or `.stderr`).
    public func write(_ bytes: some Collection<UInt8>, from stream: StdStream) throws(EngineError) {
        let timestamp = now()
        try state.withLock { state throws(EngineError) in
            guard !state.isClosed else { throw .internal("cannot write because the output file was closed") }
            guard state.file != nil else { return }
            try append(state.splitter.split(bytes, from: stream, at: timestamp), to: &state)
        }
    }

    /// Logs the streams' unfinished lines, closes the file and ends every follower. Later writes fail.
    public func close() throws(EngineError) {
        let timestamp = now()
        let (followers, failure) = state.withLock { state -> ([AsyncStream<Void>.Continuation], EngineError?) in
            guard !state.isClosed else { return ([], nil) }
            var failure: EngineError?
            do throws(EngineError) {
                if state.file != nil { try append(state.splitter.flush(at: timestamp), to: &state) }
            } catch {
                failure = error
            }
            let followers = Array(state.followers.values)
            state.isClosed = true
            state.file = nil
            state.followers = [:]
            return (followers, failure)
        }
        // Outside the lock: finishing runs the streams' termination handlers, which take it.
        for follower in followers { follower.finish() }
        if let failure { throw failure }
    }

    /// Reads the log, following it while this writer is open if `options.follow` says so.
    public func read(_ options: LogReadOptions) throws(EngineError) -> ContainerLogMessages {
        try ContainerLogMessages(files: files, writer: self, options: options)
    }

    private func append(_ entries: [LogMessage], to state: inout State) throws(EngineError) {
        guard !entries.isEmpty else { return }
        defer { for follower in state.followers.values { follower.yield() } }
        for entry in entries {
            if let maxSize = files.driver.rotation?.maxSize, state.size >= maxSize { try rotate(&state) }
            guard let file = state.file else { return }
            let line = JSONLogEntry.encode(entry)
            try file.append(line)
            state.size += Int64(line.count)
        }
    }

    private func rotate(_ state: inout State) throws(EngineError) {
        try files.rotate(keeping: files.driver.rotation?.maxFiles ?? 1)
        state.file = try LogFile.openForAppending(files.livePath)
        state.size = 0
        state.generation += 1
    }
}
