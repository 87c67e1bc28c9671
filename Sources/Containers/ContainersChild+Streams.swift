import Messages

extension ContainersChild {
    /// Connects a client to a container's streams: live output from now (through the next run when the
    /// container is not running yet), optionally after a replay of its log, and its stdin.
    public func attach(_ ref: String, _ request: AttachRequest) async throws -> StreamSession {
        let record = try resolve(ref)
        let wanted = Set<OutputChunk.Stream>((request.stdout ? [.stdout] : []) + (request.stderr ? [.stderr] : []))
        let live = request.stream ? entry(record.id).hub.subscribe() : nil
        let replay = request.logs ? try logMessages(record, LogsRequest(stdout: request.stdout, stderr: request.stderr, follow: false)) : nil
        var stdin: StdinWriter?
        if request.stdin && record.config.OpenStdin == true {
            let relay = entry(record.id).stdinRelay
            let closesStdin = record.config.StdinOnce == true
            stdin = StdinWriter(write: { await relay.write($0) }, close: { if closesStdin { await relay.close() } })
        }
        await publish("attach", record)
        return StreamSession(tty: record.config.Tty == true, output: Self.concatenate(replay, live, keeping: wanted), stdin: stdin)
    }

    public func resize(_ ref: String, width: Int, height: Int) async throws {
        let record = try resolve(ref)
        guard record.state.isRunning, entries[record.id]?.run != nil else {
            throw EngineError.conflict("Container \(record.id) is not running")
        }
        try await subsystems.containerd.ask { try await $0.resizeTask(record.id, execID: nil, width: width, height: height) }
        await publish("resize", record, ["height": "\(height)", "width": "\(width)"])
    }

    /// One stream of `first` then `second`, keeping only the wanted standard streams; `first` ends at its
    /// first error. Pulled as the consumer reads: nothing is buffered ahead of a slow client.
    static func concatenate(_ first: AsyncThrowingStream<OutputChunk, any Error>?, _ second: AsyncStream<OutputChunk>?, keeping wanted: Set<OutputChunk.Stream>) -> AsyncStream<OutputChunk> {
        let replay = first.map { PullSource($0.makeAsyncIterator()) }
        let live = second.map { PullSource($0.makeAsyncIterator()) }
        return AsyncStream {
            while let chunk = try? await replay?.next() {
                if wanted.contains(chunk.stream) { return chunk }
            }
            while let chunk = try? await live?.next() {
                if wanted.contains(chunk.stream) { return chunk }
            }
            return nil
        }
    }
}

