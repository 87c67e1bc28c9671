/// A log's files opened at one moment, and what a follower needs to go on from there.
struct LogSnapshot {
    /// Rotated files, oldest first.
    var rotated: [LogFile]
    var live: LogFile?
    /// The live file's size at the moment: a follower reads on from here.
    var liveSize: Int64
    /// The writer's count of rotations at the moment.
    var generation = 0
    /// Yields after each change of the log, ends when the writer closes; nil when not following.
    var changes: AsyncStream<Void>?
}
