import Foundation
import Glibc
import Messages

extension ContainersChild {
    /// Brings the records in line with containerd when an incarnation starts (after a crash of this
    /// child, or at boot after berthd was down): a container whose task still runs is picked up again
    /// (its output, its exit); one whose task ended or vanished is marked exited with what containerd
    /// knows; tasks no container owns are killed; a removal that was cut short is finished.
    func reconcile() async throws {
        let tasks = Dictionary(try await subsystems.containerd.ask { try await $0.tasks() }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for task in tasks.values where records[task.id] == nil {
            logger?.info("removing a task no container owns", metadata: ["task": "\(task.id)"])
            _ = try? await subsystems.containerd.ask { try await $0.killTask(task.id, execID: nil, signal: SIGKILL, all: true) }
            _ = try? await subsystems.containerd.ask { try await $0.deleteTask(task.id, execID: nil) }
        }
        for record in records.values {
            if record.state.status == .removing {
                try? await removeLocked(record.id, volumes: false)
                continue
            }
            guard record.state.isRunning else { continue }
            switch tasks[record.id]?.status {
            case .running?, .paused?, .pausing?, .created?:
                try await reattach(record, paused: tasks[record.id]?.status == .paused)
            default:
                await markLost(record, exit: tasks[record.id]?.exit)
            }
        }
    }

    /// Reads a live task's output again and waits for its exit.
    private func reattach(_ record: ContainerRecord, paused: Bool) async throws {
        let io = try await openIO(record)
        beginRun(record.id, io: io)
        await stdinRelay(record.id).connect(io)
        watchExit(record.id)
        scheduleHealthchecks(record.id)
        if paused != (record.state.status == .paused) { try update(record.id) { $0.state.status = paused ? .paused : .running } }
    }

    /// A container whose task is gone: exited, with the task's status when containerd still had it.
    private func markLost(_ record: ContainerRecord, exit: TaskExit?) async {
        let deleted = try? await subsystems.containerd.ask { try await $0.deleteTask(record.id, execID: nil) }
        let status = deleted?.status ?? exit?.status ?? 255
        try? await subsystems.graphdriver.ask { try await $0.unmount(self.rootfsPath(record.id)) }
        // At boot the network child is not up yet: the restore child releases what stays behind.
        await detachSandbox(record.id)
        await unmountVolumes(record.id)
        for stream in ["stdin", "stdout", "stderr"] { unlink(runDirectory(record.id) + "/init-" + stream) }
        try? update(record.id) {
            $0.state.status = .exited
            $0.state.pid = 0
            $0.state.exitCode = status
            $0.state.finishedAtNano = deleted?.exitedAtNano ?? exit?.exitedAtNano ?? UnixTime.nowNano
        }
        if let record = records[record.id] { await publish("die", record, ["exitCode": "\(status)"]) }
    }

    /// Lets go of the running containers without stopping them (this incarnation ends; the next one, or
    /// the next berthd, picks them up again).
    func detachAll() async {
        for (_, run) in runs {
            run.monitor?.cancel()
            run.health?.cancel()
            run.pump.cancel()
            await run.io.closeChannels()
        }
        runs = [:]
        for id in logWriters.keys { closeLog(id) }
        for task in pendingRestarts.values { task.cancel() }
        pendingRestarts = [:]
        for hub in hubs.values { hub.finishAll() }
        for waiter in waiters.values.flatMap({ $0 }) { waiter.answer.finish() }
        waiters = [:]
    }

    /// Restarts, at boot, the containers their policy says should run: `always`, and `unless-stopped`
    /// unless a user stopped it. Returns how many were started.
    public func restoreAtBoot() async throws -> Int {
        // Roots left mounted by a berthd that died: at boot `reconcile` runs before graphdriver is up.
        for record in records.values where !record.state.isRunning {
            let mountPoint = rootfsPath(record.id)
            if FileManager.default.fileExists(atPath: mountPoint) {
                try? await subsystems.graphdriver.ask { try await $0.unmount(mountPoint) }
            }
        }
        var started = 0
        for record in records.values.sorted(by: { $0.createdNano < $1.createdNano }) where !record.state.isRunning {
            let policy = record.hostConfig.RestartPolicy?.Name ?? "no"
            guard policy == "always" || (policy == "unless-stopped" && !record.stoppedByUser), record.state.startedAtNano > 0 else { continue }
            do {
                try await serialized(record.id) { try await startLocked(record.id) }
                started += 1
            } catch {
                logger?.warning("restart at boot failed", metadata: ["container": "\(record.id)", "error": "\(error)"])
            }
        }
        return started
    }

    /// Stops every running container within its stop timeout, all at once (berthd is shutting down
    /// without live-restore).
    public func stopAllForShutdown() async {
        await withTaskGroup(of: Void.self) { group in
            for record in records.values where record.state.isRunning {
                group.addTask { try? await self.serialized(record.id) { try await self.stopLocked(record.id, signal: nil, timeout: nil) } }
            }
        }
    }
}
