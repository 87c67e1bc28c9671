import Foundation
import Glibc
import Messages

extension ContainersChild {
    /// Brings the records in line with containerd when an incarnation starts (after a crash of this
    /// child, or at boot after berthd was down): a container whose task still runs is picked up again
    /// (its output, exit, exec sessions and healthcheck); one whose task ended or vanished is marked
    /// exited with what containerd knows, and one its restart policy brings back (or that was waiting
    /// for its restart delay) is restarted — `atBoot`, by the restore child once the subsystems a start
    /// needs are up (`restoreAtBoot`), else after its delay. Tasks no container owns are killed and
    /// deleted with their containerd container, the task of a stopped container (its start was cut) is
    /// ended with what the start held, and a removal that was cut short is finished.
    func reconcile(atBoot: Bool) async throws {
        let tasks = Dictionary(try await subsystems.containerd.ask { try await $0.tasks() }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for task in tasks.values where records[task.id] == nil {
            logger?.info("removing a task no container owns", metadata: ["task": "\(task.id)"])
            do {
                try await removeTask(task.id)
                try await subsystems.containerd.ask { try await $0.deleteContainer(task.id) }
            } catch {
                logger?.warning("removing a task no container owns failed", metadata: ["task": "\(task.id)", "error": "\(error)"])
            }
        }
        for record in records.values {
            if record.state.status == .removing {
                try? await removeLocked(record.id, volumes: false)
                continue
            }
            guard record.state.isRunning else {
                if tasks[record.id] != nil {
                    logger?.info("ending the task of a start that was cut", metadata: ["container": "\(record.id)"])
                    await releaseRun(record.id, .failedStart(nil))
                } else if !atBoot {
                    // A release that failed in an earlier incarnation (at boot the restore child releases it).
                    await detachSandbox(record.id)
                }
                continue
            }
            switch tasks[record.id]?.status {
            case .running?, .paused?, .pausing?, .created?:
                try await reattach(record, paused: tasks[record.id]?.status == .paused)
            case nil where record.state.status == .restarting:
                // It was waiting for its restart delay: the wait starts over.
                if !atBoot { scheduleRestart(record.id, after: .milliseconds(100)) }
            default:
                let delay = await markLost(record, exit: tasks[record.id]?.exit)
                if let delay, !atBoot { scheduleRestart(record.id, after: delay) }
            }
        }
    }

    /// Reads a live task's output again and waits for its exit.
    private func reattach(_ record: ContainerRecord, paused: Bool) async throws {
        let io = try await openIO(record)
        beginRun(record.id, io: io)
        await entry(record.id).stdinRelay.connect(io)
        await reattachExecs(record.id)
        watchExit(record.id)
        scheduleHealthchecks(record.id)
        if paused != (record.state.status == .paused) { try update(record.id) { $0.state.status = paused ? .paused : .running } }
    }

    /// A container whose task is gone: exited, with the task's status when containerd still had it, or
    /// restarting when its policy says so. Returns the restart's delay.
    private func markLost(_ record: ContainerRecord, exit: TaskExit?) async -> Duration? {
        let deleted = await releaseRun(record.id, .lost)
        let status = deleted?.status ?? exit?.status ?? 255
        let finished = deleted?.exitedAtNano ?? exit?.exitedAtNano ?? UnixTime.nowNano
        let delay = restartDelay(record, exitCode: status, finishedAtNano: finished)
        try? update(record.id) {
            $0.state.status = delay == nil ? .exited : .restarting
            $0.state.pid = 0
            $0.state.exitCode = status
            $0.state.finishedAtNano = finished
            $0.state.health = nil
            if delay != nil { $0.restartCount += 1 }
        }
        if let record = records[record.id] { await publish("die", record, ["exitCode": "\(status)"]) }
        return delay
    }

    /// Lets go of the running containers without stopping them (this incarnation ends; the next one, or
    /// the next berthd, picks them up again); from then on this incarnation changes no record.
    func detachAll() async {
        for id in entries.keys {
            await releaseRun(id, .detached)
            releaseEntry(id, exitCode: nil)
        }
        letGo = true
    }

    /// Restarts, at boot, the containers their policy says should run: those `reconcile` found
    /// restarting, and the stopped ones with `always`, or `unless-stopped` unless a user stopped them.
    /// Returns how many were started.
    public func restoreAtBoot() async throws -> Int {
        // Roots left mounted by a berthd that died: at boot `reconcile` runs before graphdriver is up.
        for record in records.values where entries[record.id]?.run == nil {
            let mountPoint = rootfsPath(record.id)
            if FileManager.default.fileExists(atPath: mountPoint) {
                try? await subsystems.graphdriver.ask { try await $0.unmount(mountPoint) }
            }
        }
        var started = 0
        for record in records.values.sorted(by: { $0.createdNano < $1.createdNano }) where entries[record.id]?.run == nil {
            let policy = record.hostConfig.RestartPolicy?.Name ?? "no"
            let restarting = record.state.status == .restarting
            let stopped = !record.state.isRunning && (policy == "always" || (policy == "unless-stopped" && !record.stoppedByUser))
            guard restarting || stopped, record.state.startedAtNano > 0 else { continue }
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
    /// without live-restore); then ends the tasks no running container owns (left by cut starts).
    public func stopAllForShutdown() async {
        await withTaskGroup(of: Void.self) { group in
            for record in records.values where record.state.isRunning {
                group.addTask { try? await self.serialized(record.id) { try await self.stopLocked(record.id, signal: nil, timeout: nil) } }
            }
        }
        let tasks = (try? await subsystems.containerd.ask { try await $0.tasks() }) ?? []
        for task in tasks where records[task.id]?.state.isRunning != true {
            logger?.info("ending a task no running container owns", metadata: ["task": "\(task.id)"])
            _ = try? await removeTask(task.id)
        }
    }
}
