import Foundation
import Logging
import Messages

/// What a berthd stopped with live-restore left running: containerd and the containers. It writes this
/// to `<exec-root>/live-restore.json` as it stops; the next boot reads it, logs it and removes it.
struct LiveRestoreRecord: Codable, Equatable {
    /// When berthd stopped (RFC 3339).
    var stoppedAt: String
    var berthdPid: Int32
    /// The containerd left running, if berthd runs its own.
    var containerdPid: Int32?
    /// The containers left running.
    var containers: [String]

    static func path(execRoot: String) -> String { execRoot + "/live-restore.json" }

    func write(execRoot: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(execRoot: execRoot)))
    }

    /// Reads and removes the record an earlier berthd left, if any.
    static func take(execRoot: String) -> LiveRestoreRecord? {
        let path = path(execRoot: execRoot)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        unlink(path)
        return try? JSONDecoder().decode(LiveRestoreRecord.self, from: data)
    }

    /// Logs what the earlier berthd left: the boot that follows picks it up.
    func report(to logger: Logger) {
        logger.info(
            "the previous berthd stopped with live-restore: adopting what it left running",
            metadata: [
                "stoppedAt": "\(stoppedAt)", "previousPid": "\(berthdPid)", "containerdPid": "\(containerdPid.map(String.init) ?? "none")",
                "containers": "\(containers.count)",
            ])
    }
}
