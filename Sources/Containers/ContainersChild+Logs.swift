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
            return try ContainerLogWriter(files: try logFiles(record))
        } catch {
            logger?.warning("cannot open the container's log", metadata: ["container": "\(record.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Tells that a container's log collection stopped (the disk refused an entry; the container keeps
    /// running and its output is dropped) or resumed: a warning in berthd's log and a container event,
    /// `log-collection-stopped` with the `error`, `log-collection-resumed` with how many entries were `dropped`.
    func logCollection(_ id: String, _ change: ContainerLogWriter.CollectionChange) async {
        guard let record = records[id] else { return }
        switch change {
        case .stopped(let error):
            let message = (EngineError.outOfSpace(error) ?? error).message
            logger?.warning(
                "log collection stopped: the container's output is dropped until the disk takes it again",
                metadata: ["container": "\(id)", "error": "\(message)"])
            await publish("log-collection-stopped", record, ["error": message])
        case .resumed(let dropped):
            logger?.notice("log collection resumed", metadata: ["container": "\(id)", "dropped": "\(dropped)"])
            await publish("log-collection-resumed", record, ["dropped": "\(dropped)"])
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
        let messages = try entries[record.id]?.run?.log?.read(options) ?? logFiles(record).read(options)
        let source = PullSource(messages.makeAsyncIterator())
        return AsyncThrowingStream {
            try await source.next().map { message in
                OutputChunk(
                    stream: OutputChunk.Stream(rawValue: message.stream.rawValue) ?? .stdout, bytes: message.bytes,
                    timeNano: message.timestamp.nano)
            }
        }
    }
}
