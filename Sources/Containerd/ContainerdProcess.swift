import CSpawn
import Foundation
import Logging
import Messages
import Synchronization

/// A containerd process of berthd's: one it started, in this run or an earlier one, watched through a
/// pidfd, so that a pid reused by another program is never mistaken for it nor signalled.
///
/// berthd starts containerd in a session of its own and never asks the kernel to kill it with berthd:
/// it outlives a berthd stopped with live-restore, killed, or whose containerd child crashed, and the
/// next one adopts it (``ContainerdAdoption``). Watching needs no `waitpid`: the pidfd turns readable
/// when the process exits; a process this berthd started is then reaped for its exit status.
final class ContainerdProcess: Sendable {
    let pid: Int32
    private let pidfd: Int32
    /// The exit status once known: `.some(nil)` for an adopted process, whose status its parent reaps.
    private let ended = Mutex<Int32??>(nil)

    private init(pid: Int32, pidfd: Int32) {
        self.pid = pid
        self.pidfd = pidfd
    }

    deinit { close(pidfd) }

    /// Starts `containerd --config <layout.configFile>` in a new session, logging to `layout.logFile`,
    /// and records its pid in `layout.pidfile`.
    static func start(_ layout: ContainerdLayout, binary: String, logger: Logger) throws -> ContainerdProcess {
        try? FileManager.default.removeItem(atPath: layout.socket)
        let log = open(layout.logFile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard log >= 0 else { throw ContainerdError.cannotStart("cannot open \(layout.logFile): errno \(errno)") }
        defer { close(log) }
        // systemd's variables are berthd's alone: containerd speaks sd_notify too, and must not claim our socket.
        let environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"].contains(key)
        }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let error = withCStrings([binary, "--config", layout.configFile]) { argv in
            withCStrings(environment) { envp in berth_spawn_session(binary, argv, envp, log, &pid) }
        }
        guard error == 0 else { throw ContainerdError.cannotStart("cannot run \(binary): \(String(cString: strerror(error)))") }
        guard let process = watch(pid) else {
            kill(pid, SIGKILL)
            throw ContainerdError.cannotStart("cannot watch pid \(pid): errno \(errno)")
        }
        try UnsyncedFile.write("\(pid)", to: layout.pidfile)
        logger.info("started containerd", metadata: ["pid": "\(pid)", "socket": "\(layout.socket)"])
        return process
    }

    /// The process `pid`, if it runs, and its command line (`/proc/<pid>/cmdline`, read once the pidfd
    /// holds the process, so that both are about the same one).
    static func find(_ pid: Int32) -> (process: ContainerdProcess, commandLine: String?)? {
        guard let process = watch(pid) else { return nil }
        let commandLine = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
        return process.hasExited ? nil : (process, commandLine)
    }

    private static func watch(_ pid: Int32) -> ContainerdProcess? {
        let pidfd = berth_pidfd_open(pid)
        return pidfd < 0 ? nil : ContainerdProcess(pid: pid, pidfd: pidfd)
    }

    /// Whether the process has exited (one `poll` of the pidfd; a child of ours is reaped then).
    var hasExited: Bool {
        if ended.withLock({ $0 }) != nil { return true }
        var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return false }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG) == pid
        ended.withLock { $0 = .some(reaped ? Self.exitStatus(status) : nil) }
        return true
    }

    /// Waits until the process exits and throws; returns normally if the waiting task is cancelled.
    func failWhenExited() async throws {
        while !hasExited {
            guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return }
        }
        throw ContainerdError.exited(status: ended.withLock { $0 ?? nil })
    }

    /// Stops the process: SIGTERM (and SIGCONT, should it be stopped), then SIGKILL after `grace`. It
    /// waits in a task of its own, since it is called from incarnations being cancelled.
    func stop(grace: Duration) async {
        guard !hasExited else { return }
        _ = berth_pidfd_send_signal(pidfd, SIGTERM)
        _ = berth_pidfd_send_signal(pidfd, SIGCONT)
        await Task {
            if await exits(within: grace) { return }
            _ = berth_pidfd_send_signal(pidfd, SIGKILL)
            _ = await exits(within: .seconds(2))
        }.value
    }

    private func exits(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !hasExited {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    private static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// What can go wrong with containerd.
enum ContainerdError: Error, CustomStringConvertible {
    case cannotStart(String)
    case exited(status: Int32?)
    case notServing(String)
    case unhealthy(String)

    var description: String {
        switch self {
        case .cannotStart(let reason): "containerd did not start: \(reason)"
        case .exited(let status?): "containerd exited (status \(status))"
        case .exited(nil): "containerd exited"
        case .notServing(let address): "containerd is not serving on \(address)"
        case .unhealthy(let reason): "containerd stopped answering: \(reason)"
        }
    }
}
