import Foundation
import Glibc
import Messages
import Supervision

extension ContainersChild {
    public func stop(_ ref: String, signal: String?, timeout: Int?) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id], record.state.isRunning else { throw EngineError(.notModified, "container already stopped") }
            try update(id) { $0.stoppedByUser = true }
            cancelPendingRestart(id)
            try await stopLocked(id, signal: signal, timeout: timeout)
            if let record = records[id] { await publish("stop", record) }
        }
    }

    public func restart(_ ref: String, signal: String?, timeout: Int?) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            if records[id]?.state.isRunning == true {
                try await stopLocked(id, signal: signal, timeout: timeout)
            }
            cancelPendingRestart(id)
            try await startLocked(id)
            if let record = records[id] { await publish("restart", record) }
        }
    }

    public func kill(_ ref: String, signal: String?) async throws {
        let record = try resolve(ref)
        let number = try signal.map(Signals.parse) ?? SIGKILL
        guard record.state.isRunning, entries[record.id]?.run != nil else {
            throw EngineError.conflict("Container \(record.id) is not running")
        }
        if number == SIGKILL || number == SIGTERM || number == SIGINT { try update(record.id) { $0.stoppedByUser = true } }
        try await subsystems.containerd.ask { try await $0.killTask(record.id, execID: nil, signal: number, all: false) }
        await publish("kill", record, ["signal": "\(number)"])
    }

    public func pause(_ ref: String) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id], record.state.status == .running else {
                throw EngineError.conflict("Container \(id) is not running")
            }
            try await subsystems.containerd.ask { try await $0.pauseTask(id) }
            try update(id) { $0.state.status = .paused }
            await publish("pause", record)
        }
    }

    public func unpause(_ ref: String) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id], record.state.status == .paused else {
                throw EngineError.conflict("Container \(id) is not paused")
            }
            try await subsystems.containerd.ask { try await $0.resumeTask(id) }
            try update(id) { $0.state.status = .running }
            await publish("unpause", record)
        }
    }

    /// Sends the stop signal, waits up to the timeout, then kills every process of the container and
    /// waits for the exit to be handled. The caller holds the container's lock.
    func stopLocked(_ id: String, signal: String?, timeout: Int?) async throws {
        guard let record = records[id], let run = entries[id]?.run else { return }
        let number = try Signals.parse(signal ?? record.config.StopSignal ?? "SIGTERM")
        let seconds = timeout ?? record.config.StopTimeout ?? 10
        let containerd = subsystems.containerd
        if record.state.status == .paused {
            _ = try? await containerd.ask { try await $0.resumeTask(id) }
        }
        if number != SIGKILL {
            _ = try? await containerd.ask { try await $0.killTask(id, execID: nil, signal: number, all: false) }
            await publish("kill", record, ["signal": "\(number)"])
            if await Self.exits(run, within: Self.gracePeriod(seconds)) { return }
        }
        // A task that exited meanwhile cannot be killed: its exit is being handled, so wait for that.
        _ = try? await containerd.ask { try await $0.killTask(id, execID: nil, signal: SIGKILL, all: true) }
        await publish("kill", record, ["signal": "\(SIGKILL)"])
        guard await Self.exits(run, within: .seconds(30)) else {
            throw EngineError.internal("container \(id) did not exit after SIGKILL")
        }
    }

    /// How long a stop waits for the stop signal to work: `seconds` (a request's `t`, else the
    /// container's `StopTimeout`, else 10), any `Int`; negative waits forever, as in dockerd, and a
    /// wait past ``Duration/longestWait`` is that long.
    static func gracePeriod(_ seconds: Int) -> Duration? {
        seconds < 0 ? nil : .wait(seconds: seconds)
    }

    /// Whether the run's exit is handled within `limit` (`nil`: no limit).
    static func exits(_ run: ContainerRun, within limit: Duration?) async -> Bool {
        guard let limit else { return await run.exited.wait() != nil }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await run.exited.wait() != nil }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
