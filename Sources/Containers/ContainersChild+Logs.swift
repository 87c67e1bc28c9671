import Messages

extension ContainersChild {
    /// The log configuration a new container gets: its own, else the daemon's `log-driver`/`log-opts`;
    /// checked now so a bad one fails the create, not the start.
    func effectiveLogConfig(_ host: HostConfig) throws -> LogConfig {
        let merged = LogConfig.merged(host.LogConfig, daemonDriver: config.logDriver, daemonOptions: config.logOpts)
        _ = try LogDriver(merged)
        return merged
    }

    func logFiles(_ record: ContainerRecord) throws -> ContainerLogFiles {
        let driver = try LogDriver(record.hostConfig.LogConfig ?? LogConfig(type: config.logDriver, config: config.logOpts))
        return ContainerLogFiles(directory: containerDirectory(record.id), containerID: record.id, driver: driver)
    }

    /// Opens the log a run writes into (`nil` when the driver keeps none).
    func openLogWriter(_ record: ContainerRecord) -> ContainerLogWriter? {
        do {
            let writer = try ContainerLogWriter(files: try logFiles(record))
            logWriters[record.id] = writer
            return writer
        } catch {
            logger?.warning("cannot open the container's log", metadata: ["container": "\(record.id)", "error": "\(error)"])
            return nil
        }
    }

    public func logs(_ ref: String, _ request: LogsRequest) async throws -> StreamSession {
        let record = try resolve(ref)
        let wanted = Set<OutputChunk.Stream>((request.stdout ? [.stdout] : []) + (request.stderr ? [.stderr] : []))
        let messages = try logMessages(record, request)
        return StreamSession(tty: record.config.Tty == true, output: Self.concatenate(messages, nil, keeping: wanted), stdin: nil)
    }

    /// The container's log as output chunks, following the live writer when asked and running. Read as the
    /// consumer asks: nothing is read ahead of a slow client.
    func logMessages(_ record: ContainerRecord, _ request: LogsRequest) throws -> AsyncThrowingStream<OutputChunk, any Error> {
        guard request.stdout || request.stderr else { throw EngineError.invalidArgument("You must choose at least one stream") }
        let options = LogReadOptions(
            stdout: request.stdout, stderr: request.stderr, since: try LogReadOptions.instant(request.since),
            until: try LogReadOptions.instant(request.until), tail: LogReadOptions.tail(request.tail), follow: request.follow)
        let messages = try logWriters[record.id]?.read(options) ?? logFiles(record).read(options)
        let source = PullSource(messages.makeAsyncIterator())
        return AsyncThrowingStream {
            try await source.next().map { message in
                OutputChunk(
                    stream: OutputChunk.Stream(rawValue: message.stream.rawValue) ?? .stdout, bytes: message.bytes,
                    timeNano: message.timestamp.seconds * 1_000_000_000 + Int64(message.timestamp.nanoseconds))
            }
        }
    }
}
