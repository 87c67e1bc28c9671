import Messages

/// One reading of a container's log, driven by ``ContainerLogMessages/Iterator``: the existing entries
/// (all of them forwards, or the tail scanned backwards), then, when following, the entries the writer
/// signals, across rotations, until it closes. It ends early when the consumer's task is cancelled.
final class LogReadSession {
    private let files: ContainerLogFiles
    private let writer: ContainerLogWriter?
    private let options: LogReadOptions

    private var started = false
    private var finished = false
    /// Entries ready for the consumer, oldest first, from `readyIndex` on.
    private var ready: [LogMessage] = []
    private var readyIndex = 0
    /// Existing entries still to read forwards: files, each up to its size when reading began.
    private var history: [(reader: LogLineReader, limit: Int64?)] = []
    /// When following: the live file as of rotation `liveGeneration`, read on from where history ended.
    private var live: LogLineReader?
    private var liveGeneration = 0
    private var changes: AsyncStream<Void>.Iterator?
    private var writerClosed = false

    init(files: ContainerLogFiles, writer: ContainerLogWriter?, options: LogReadOptions) {
        self.files = files
        self.writer = writer
        self.options = options
    }

    func next() async throws -> LogMessage? {
        if !started {
            started = true
            try start()
        }
        while true {
            if readyIndex < ready.count {
                defer { readyIndex += 1 }
                return ready[readyIndex]
            }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            if Task.isCancelled { finish() }
            if finished { return nil }
            if !history.isEmpty {
                if let lines = try history[0].reader.nextLines(before: history[0].limit) {
                    accept(lines.compactMap { JSONLogEntry.decode($0) })
                } else {
                    history.removeFirst()
                }
            } else if live != nil {
                try await follow()
            } else {
                finish()
            }
        }
    }

    private func start() throws {
        let snapshot = try writer?.open(following: options.follow) ?? files.open()
        var existing: [(file: LogFile, limit: Int64?)] = snapshot.rotated.map { ($0, nil) }
        if let live = snapshot.live { existing.append((live, snapshot.liveSize)) }
        switch options.tail {
        case nil: history = existing.map { (LogLineReader(file: $0.file), $0.limit) }
        case 0: break
        case let count?: accept(try tail(count, of: existing))
        }
        if let file = snapshot.live, let changes = snapshot.changes, !finished {
            live = LogLineReader(file: file, offset: snapshot.liveSize)
            liveGeneration = snapshot.generation
            self.changes = changes.makeAsyncIterator()
        }
    }

    /// The last `count` entries of the chosen streams, oldest first.
    private func tail(_ count: Int, of existing: [(file: LogFile, limit: Int64?)]) throws -> [LogMessage] {
        var newestFirst: [LogMessage] = []
        for (file, limit) in existing.reversed() where newestFirst.count < count {
            var scanner = LogTailScanner(file: file, end: try limit ?? file.size())
            while newestFirst.count < count, let lines = try scanner.previousLines() {
                for line in lines where newestFirst.count < count {
                    if let message = JSONLogEntry.decode(line), isChosen(message.stream) { newestFirst.append(message) }
                }
            }
        }
        return newestFirst.reversed()
    }

    /// Reads what the writer added since the last call, moves on to the next file after a rotation, or
    /// waits for the writer's next change.
    private func follow() async throws {
        guard let writer, var reader = live else { return finish() }
        // Read the rotation count first: once the file is read to its end, a rotation counted here has
        // already moved the writer to a new file, so nothing more can come into this one.
        let generation = writer.generation
        if let lines = try reader.nextLines() {
            live = reader
            return accept(lines.compactMap { JSONLogEntry.decode($0) })
        }
        if liveGeneration < generation {
            guard let next = try writer.openFile(after: liveGeneration) else { return finish() }
            live = LogLineReader(file: next.file)
            liveGeneration = next.generation
            return
        }
        if writerClosed { return finish() }
        if await changes?.next() == nil {
            // The writer closed (read once more, then stop) or this task was cancelled.
            writerClosed = true
        }
    }

    private func accept(_ messages: some Sequence<LogMessage>) {
        for message in messages {
            if let until = options.until, message.timestamp > until { return finish() }
            guard isChosen(message.stream) else { continue }
            if let since = options.since, message.timestamp < since { continue }
            ready.append(message)
        }
    }

    private func isChosen(_ stream: StdStream) -> Bool {
        switch stream {
        case .stdout: options.stdout
        case .stderr: options.stderr
        case .stdin, .systemError: false
        }
    }

    private func finish() {
        finished = true
        history = []
        live = nil
        changes = nil
    }
}
