import Foundation
import Logging
import Messages
import Supervision

/// A containerd process that berthd started and supervises.
///
/// A containerd left running by a berthd that was killed is found through the pidfile and stopped before
/// a new one starts, so two never share one root.
final class ContainerdProcess: Sendable {
    let pid: Int32
    private let process: Process
    private let exited: OneShot<Int32>

    private init(process: Process, exited: OneShot<Int32>) {
        self.process = process
        self.exited = exited
        pid = process.processIdentifier
    }

    /// Starts `containerd --config <layout.configFile>`, logging to `layout.logFile`.
    static func start(_ layout: ContainerdLayout, binary: String, logger: Logger) async throws -> ContainerdProcess {
        try layout.prepare()
        await stopLeftover(layout, logger: logger)
        try? FileManager.default.removeItem(atPath: layout.socket)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--config", layout.configFile]
        // systemd's variables are berthd's alone: containerd speaks sd_notify too, and must not claim our socket.
        process.environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"].contains(key)
        }
        if !FileManager.default.fileExists(atPath: layout.logFile) {
            _ = FileManager.default.createFile(atPath: layout.logFile, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: layout.logFile))
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let exited = OneShot<Int32>()
        process.terminationHandler = { exited.fulfill($0.terminationStatus) }
        do {
            try process.run()
        } catch {
            throw ContainerdError.cannotStart("cannot run \(binary): \(error)")
        }
        try UnsyncedFile.write("\(process.processIdentifier)", to: layout.pidfile)
        logger.info("started containerd", metadata: ["pid": "\(process.processIdentifier)", "socket": "\(layout.socket)"])
        return ContainerdProcess(process: process, exited: exited)
    }

    /// Whether the process has exited.
    var hasExited: Bool { exited.peek != nil }

    /// Waits until the process exits and throws; returns normally if the waiting task is cancelled.
    func failWhenExited() async throws {
        if let status = await exited.wait() { throw ContainerdError.exited(status: status) }
    }

    /// Stops the process: SIGTERM, then SIGKILL after `grace`.
    func stop(grace: Duration) async {
        guard exited.peek == nil else { return }
        kill(pid, SIGTERM)
        let exited = self.exited
        let killer = Task {
            try await Task.sleep(for: grace)
            if exited.peek == nil { kill(self.pid, SIGKILL) }
        }
        _ = await exited.wait()
        killer.cancel()
    }

    /// Stops a containerd recorded in the pidfile by an earlier berthd, if it still runs.
    private static func stopLeftover(_ layout: ContainerdLayout, logger: Logger) async {
        guard let text = try? String(contentsOfFile: layout.pidfile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
              command.contains("containerd"), command.contains(layout.configFile)
        else { return }
        logger.warning("stopping containerd left by an earlier berthd", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }
}

/// What can go wrong with containerd.
enum ContainerdError: Error, CustomStringConvertible {
    case cannotStart(String)
    case exited(status: Int32)
    case notServing(String)
    case unhealthy(String)

    var description: String {
        switch self {
        case .cannotStart(let reason): "containerd did not start: \(reason)"
        case .exited(let status): "containerd exited (status \(status))"
        case .notServing(let address): "containerd is not serving on \(address)"
        case .unhealthy(let reason): "containerd stopped answering: \(reason)"
        }
    }
}
