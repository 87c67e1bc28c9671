import Messages

/// What readers of a running container's log ask its writer, under the writer's lock so that no rotation
/// happens halfway.
extension ContainerLogWriter {
    /// Opens the log's files as they are now, and with `following` a signal of every change until close.
    func open(following: Bool) throws(EngineError) -> LogSnapshot {
        let (changes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        return try state.withLock { state throws(EngineError) in
            var snapshot = try files.open()
            snapshot.generation = state.generation
            if following, !state.isClosed {
                let id = state.nextFollower
                state.nextFollower += 1
                state.followers[id] = continuation
                continuation.onTermination = { [weak self] _ in self?.removeFollower(id) }
                snapshot.changes = changes
            }
            return snapshot
        }
    }

    /// How many times the log was rotated so far.
    var generation: Int { state.withLock { $0.generation } }

    /// The oldest file still on disk that was live after rotation `generation`, with the rotation it
    /// belongs to; nil if even the live file is gone. Files rotated out meanwhile are skipped.
    func openFile(after generation: Int) throws(EngineError) -> (file: LogFile, generation: Int)? {
        try state.withLock { state throws(EngineError) in
            let maxFiles = files.driver.rotation?.maxFiles ?? 1
            var next = max(generation + 1, state.generation - (maxFiles - 1))
            while next <= state.generation {
                if let file = try LogFile.openForReading(files.path(rotationsAgo: state.generation - next)) { return (file, next) }
                next += 1
            }
            return nil
        }
    }

    private func removeFollower(_ id: Int) {
        _ = state.withLock { $0.followers.removeValue(forKey: id) }
    }
}
