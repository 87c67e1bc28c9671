import Messages
import Synchronization

/// Writes one container's output to its log while the container runs: both streams' producers call
/// ``write(_:from:)``, possibly at once; entries are cut into lines (``LogLineSplitter``), stamped, written
/// and rotated as the driver says, and readers following the log are woken in-process.
/// ``close()`` when the container stops ends every follower.
///
/// Entries go to disk as they come, one `write(2)` each, with no buffering in memory. A write the disk
/// refuses (full, or failing) stops the collection: the torn entry is cut off, that entry and the ones
/// after it are dropped (the container is never held up), and every later write tries again; the first
/// that succeeds resumes it. ``write(_:from:)`` reports both changes. With the `none` driver nothing is written.
public final class ContainerLogWriter: Sendable {
    /// A change in whether the log is being collected, for the container's events.
    public enum CollectionChange: Sendable, Equatable {
        /// The disk refused an entry (the error says why); entries are dropped until it takes one again.
        case stopped(EngineError)
        /// Entries are written again; `dropped` were lost while the collection was stopped.
        case resumed(dropped: Int)
    }

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
        /// Entries dropped since the disk refused one; nil while the collection runs.
        var dropped: Int?
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

    /// Logs `bytes` the container wrote on `stream` (`.stdout` or `.stderr`); tells whether this write
    /// stopped or resumed the collection. Throws only once the writer is closed.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>, from stream: StdStream) throws(EngineError) -> CollectionChange? {
        let timestamp = now()
        return try state.withLock { state throws(EngineError) -> CollectionChange? in
            guard !state.isClosed else { throw .internal("cannot write because the output file was closed") }
            guard state.file != nil else { return nil }
            let entries = state.splitter.split(bytes, from: stream, at: timestamp)
            // A torn entry that could not be cut off when the disk refused it is cut off now.
            if state.dropped != nil { try? state.file?.truncate(to: state.size) }
            let dropped = state.dropped
            if let (error, unwritten) = append(entries, to: &state) {
                state.dropped = (dropped ?? 0) + unwritten
                return dropped == nil ? .stopped(error) : nil
            }
            guard let dropped, !entries.isEmpty else { return nil }
            state.dropped = nil
            return .resumed(dropped: dropped)
        }
    }

    /// Logs the streams' unfinished lines, closes the file and ends every follower. Later writes fail.
    public func close() throws(EngineError) {
        let timestamp = now()
        let (followers, failure) = state.withLock { state -> ([AsyncStream<Void>.Continuation], EngineError?) in
            guard !state.isClosed else { return ([], nil) }
            let failure = state.file == nil ? nil : append(state.splitter.flush(at: timestamp), to: &state)?.error
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

    /// Writes `entries` in order, rotating as the driver says. An entry the disk refuses is cut back off
    /// the file and ends the call: the error, and how many entries (it and those after it) were not written.
    private func append(_ entries: [LogMessage], to state: inout State) -> (error: EngineError, unwritten: Int)? {
        guard !entries.isEmpty else { return nil }
        defer { for follower in state.followers.values { follower.yield() } }
        for (index, entry) in entries.enumerated() {
            do throws(EngineError) {
                if let maxSize = files.driver.rotation?.maxSize, state.size >= maxSize { try rotate(&state) }
                guard let file = state.file else { return nil }
                let line = JSONLogEntry.encode(entry)
                try file.append(line)
                state.size += Int64(line.count)
            } catch {
                try? state.file?.truncate(to: state.size)
                return (error, entries.count - index)
            }
        }
        return nil
    }

    private func rotate(_ state: inout State) throws(EngineError) {
        try files.rotate(keeping: files.driver.rotation?.maxFiles ?? 1)
        state.file = try LogFile.openForAppending(files.livePath)
        state.size = 0
        state.generation += 1
    }
}
