import Foundation
import Glibc
import Messages
import Supervision
import Synchronization

/// Docker's healthcheck defaults.
enum HealthDefaults {
    static let interval = Duration.seconds(30)
    static let timeout = Duration.seconds(30)
    static let retries = 3
    /// Probes kept in `State.Health.Log`, and the output kept of each.
    static let logLength = 5
    static let outputLimit = 4096
}

extension ContainersChild {
    /// The probe command of a healthcheck, or `nil` when there is none (`NONE`, or no test at all).
    static func probeCommand(_ health: HealthConfig?) -> [String]? {
        guard let test = health?.Test, let kind = test.first else { return nil }
        switch kind {
        case "CMD": return test.count > 1 ? Array(test.dropFirst()) : nil
        case "CMD-SHELL": return test.count > 1 ? ["/bin/sh", "-c", test.dropFirst().joined(separator: " ")] : nil
        default: return nil
        }
    }

    /// Runs the container's healthcheck every interval while this run lasts.
    func scheduleHealthchecks(_ id: String) {
        guard let record = records[id], let command = Self.probeCommand(record.config.Healthcheck) else { return }
        let times = HealthTimes(record.config.Healthcheck ?? HealthConfig())
        let started = ContinuousClock.now
        entries[id]?.run?.health = Task {
            while !Task.isCancelled {
                let inStartPeriod = ContinuousClock.now - started < times.startPeriod
                try? await Task.sleep(for: inStartPeriod ? times.startInterval : times.interval)
                guard !Task.isCancelled else { return }
                let probe = await self.probe(id, command: command, timeout: times.timeout)
                guard !Task.isCancelled else { return }
                await self.record(probe, for: id, inStartPeriod: ContinuousClock.now - started < times.startPeriod)
            }
        }
    }

    /// Runs one probe as an exec; exit code -1 when it timed out or could not run.
    private func probe(_ id: String, command: [String], timeout: Duration) async -> HealthProbe {
        let startNano = UnixTime.nowNano
        guard let record = records[id] else { return HealthProbe(startNano: startNano, endNano: startNano, exitCode: -1, output: "") }
        let execID = "health-" + EngineID.random().prefix(16)
        var config = ExecConfig()
        config.Cmd = command
        let containerd = subsystems.containerd
        do {
            let process = try makeExecProcess(record, config)
            let io = try await ProcessIO.open(directory: runDirectory(id), name: execID, stdin: false, tty: false)
            let collected = OutputCollector(limit: HealthDefaults.outputLimit)
            let pump = Task { await io.pump { collected.append($0.bytes) } }
            defer { Task { await io.close() } }
            try await containerd.ask { try await $0.execProcess(id, execID: execID, process: process, stdio: io.stdio) }
            _ = try await containerd.ask { try await $0.startTask(id, execID: execID) }
            let exit = await withTaskGroup(of: Int?.self) { group in
                group.addTask { try? await containerd.ask(deadline: .healthProbe(timeout)) { try await $0.waitTask(id, execID: execID) }.status }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if exit == nil { _ = try? await containerd.ask { try await $0.killTask(id, execID: execID, signal: SIGKILL, all: false) } }
            _ = try? await containerd.ask { try await $0.waitTask(id, execID: execID) }
            io.releaseKeepers()
            await pump.value
            _ = try? await containerd.ask { try await $0.deleteTask(id, execID: execID) }
            let output = exit == nil ? "Health check exceeded timeout (\(timeout))" : collected.text
            return HealthProbe(startNano: startNano, endNano: UnixTime.nowNano, exitCode: exit ?? -1, output: output)
        } catch {
            return HealthProbe(startNano: startNano, endNano: UnixTime.nowNano, exitCode: -1, output: "\(error)")
        }
    }

    /// Adds a probe to the container's health and moves its status: healthy after a success, unhealthy
    /// after `Retries` failures in a row (failures in the start period do not count).
    private func record(_ probe: HealthProbe, for id: String, inStartPeriod: Bool) async {
        guard var record = records[id], record.state.status == .running else { return }
        var health = record.state.health ?? HealthState(status: "starting")
        let before = health.status
        health.log = Array((health.log + [probe]).suffix(HealthDefaults.logLength))
        if probe.exitCode == 0 {
            health.status = "healthy"
            health.failingStreak = 0
        } else if !inStartPeriod || health.status != "starting" {
            health.failingStreak += 1
            let retries = record.config.Healthcheck?.Retries.flatMap { $0 > 0 ? $0 : nil } ?? HealthDefaults.retries
            if health.failingStreak >= retries { health.status = "unhealthy" }
        }
        record.state.health = health
        try? save(record)
        if health.status != before { await publish("health_status: " + health.status, record) }
    }
}

/// Keeps the first bytes of a probe's output.
final class OutputCollector: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: [UInt8]) {
        bytes.withLock { $0 += chunk.prefix(max(0, limit - $0.count)) }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}
