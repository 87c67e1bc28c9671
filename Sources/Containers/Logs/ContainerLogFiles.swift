import Glibc
import Messages

/// Where one container's log lives: `<directory>/<id>-json.log` for json-file, `<directory>/<id>-local.log`
/// for local, each with its rotated files `.1` (newest) … `.<max-file - 1>` (oldest) beside it.
public struct ContainerLogFiles: Sendable, Hashable {
    public let driver: LogDriver
    /// The live file, the one written to: `LogPath` in `docker inspect`.
    public let livePath: String

    public init(directory: String, containerID: String, driver: LogDriver) {
        self.driver = driver
        let suffix = if case .local = driver { "-local.log" } else { "-json.log" }
        livePath = directory + "/" + containerID + suffix
    }

    /// Reads the log as it is on disk: `options.follow` is ignored, as nothing writes to it. For a running
    /// container read through its ``ContainerLogWriter`` instead.
    public func read(_ options: LogReadOptions) throws(EngineError) -> ContainerLogMessages {
        try ContainerLogMessages(files: self, writer: nil, options: options)
    }

    /// The file `rotations` rotations old: the live file for 0, else `<live>.<rotations>`.
    func path(rotationsAgo rotations: Int) -> String {
        rotations == 0 ? livePath : livePath + ".\(rotations)"
    }

    /// Shifts the files on disk by one rotation: `.1` becomes `.2` and so on, the oldest beyond
    /// `maxFiles - 1` is replaced, and the live file becomes `.1`, or is removed when only one is kept.
    /// Open descriptors keep reading the files they had.
    func rotate(keeping maxFiles: Int) throws(EngineError) {
        guard maxFiles >= 2 else { return try LogFile.remove(livePath) }
        for rotations in stride(from: min(rotatedCount(upTo: maxFiles - 1) + 1, maxFiles - 1), through: 1, by: -1) {
            try LogFile.move(path(rotationsAgo: rotations - 1), to: path(rotationsAgo: rotations))
        }
    }

    /// How many rotated files are on disk, at most `limit`. Rotation keeps them in a row from `.1`, so
    /// the count stops at the first one missing: a `max-file` of a billion costs only the files there are.
    private func rotatedCount(upTo limit: Int) -> Int {
        var count = 0
        while count < limit, access(path(rotationsAgo: count + 1), F_OK) == 0 { count += 1 }
        return count
    }

    /// Opens every file of the log as it is now.
    func open() throws(EngineError) -> LogSnapshot {
        var rotated: [LogFile] = []
        for rotations in stride(from: rotatedCount(upTo: (driver.rotation?.maxFiles ?? 1) - 1), through: 1, by: -1) {
            if let file = try LogFile.openForReading(path(rotationsAgo: rotations)) { rotated.append(file) }
        }
        let live = try LogFile.openForReading(livePath)
        return LogSnapshot(rotated: rotated, live: live, liveSize: try live?.size() ?? 0)
    }
}
