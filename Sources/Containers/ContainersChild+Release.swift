import Foundation
import Glibc
import Messages

/// How a container's run ends.
enum RunEnd {
    /// Its task exited: the output is drained before anything goes.
    case exited
    /// A start failed half-way: the task, if made, is killed and the output (`io`, when opened) closed at once.
    case failedStart(ProcessIO?)
    /// Its task ended while no incarnation watched it (found by `reconcile`).
    case lost
    /// This incarnation lets go; the task runs on, its FIFOs and exec sessions kept for the next one.
    case detached
}

extension ContainersChild {
    /// The entry of a container that exists, made on first use.
    func entry(_ id: String) -> ContainerEntry {
        if let entry = entries[id] { return entry }
        let entry = ContainerEntry()
        entries[id] = entry
        return entry
    }

    /// Ends a container's run, the one way every run ends: what this incarnation holds for it (output
    /// pump, exit monitor, health checker, exec sessions, log, stdin, attached clients) and, unless
    /// `detached`, what the run held elsewhere (its task, FIFOs, network sandbox, volume mounts and
    /// root mount). Returns the exit containerd reported when it deleted the task.
    ///
    /// `detached` waits for the run's background work to end (an exit being handled finishes), so no
    /// write of this incarnation lands after the next one has read the records.
    @discardableResult
    func releaseRun(_ id: String, _ end: RunEnd) async -> TaskExit? {
        let run = entries[id]?.run
        run?.health?.cancel()
        let containerd = subsystems.containerd
        var deleted: TaskExit?
        switch end {
        case .detached:
            if let run {
                run.monitor?.cancel()
                run.pump.cancel()
                for exec in run.execs.values { await exec.detach() }
                await run.io.closeChannels()
                // What they were doing ends in this incarnation, never in the next one's state.
                await run.monitor?.value
                await run.health?.value
            }
            entries[id]?.run = nil
        case .exited, .failedStart, .lost:
            if case .exited = end {
                run?.io.releaseKeepers()
                await run?.pump.value
            }
            if case .failedStart = end {
                deleted = try? await removeTask(id)
            } else {
                deleted = try? await containerd.ask { try await $0.deleteTask(id, execID: nil) }
            }
            if case .failedStart(let io) = end {
                await io?.close()
                run?.pump.cancel()
            }
            ProcessIO.removeFIFOs(directory: runDirectory(id), name: "init")
            ExecJournal.remove(directory: runDirectory(id))
            entries[id]?.run = nil
            await entries[id]?.stdinRelay.disconnect()
            // At boot the network child is not up yet: the restore child releases what stays behind.
            await detachSandbox(id)
            await unmountVolumes(id)
            try? await subsystems.graphdriver.ask { try await $0.unmount(self.rootfsPath(id)) }
        }
        try? run?.log?.close()
        entries[id]?.hub.finishAll()
        return deleted
    }

    /// Ends a task that must not run on (a cut start, a task no container owns, a container being
    /// removed): kills it with SIGKILL and deletes it; when containerd refuses the delete because the
    /// process has not exited yet, waits for it (at most 10 s) and deletes again. Errors are logged and
    /// the delete's is thrown, so a caller can keep what it would otherwise forget. Returns the exit
    /// containerd reported.
    @discardableResult
    func removeTask(_ id: String) async throws -> TaskExit? {
        let containerd = subsystems.containerd
        do {
            try await containerd.ask { try await $0.killTask(id, execID: nil, signal: SIGKILL, all: true) }
        } catch {
            logger?.info("killing a task failed", metadata: ["task": "\(id)", "error": "\(error)"])
        }
        do {
            return try await containerd.ask { try await $0.deleteTask(id, execID: nil) }
        } catch {
            logger?.info("deleting a killed task failed; waiting for it to exit", metadata: ["task": "\(id)", "error": "\(error)"])
        }
        do {
            _ = try await containerd.ask(deadline: .leftoverCleanup) { try await $0.waitTask(id, execID: nil) }
        } catch {
            logger?.warning("waiting for a killed task failed", metadata: ["task": "\(id)", "error": "\(error)"])
        }
        do {
            return try await containerd.ask { try await $0.deleteTask(id, execID: nil) }
        } catch {
            logger?.warning("deleting a killed task failed", metadata: ["task": "\(id)", "error": "\(error)"])
            throw error
        }
    }

    /// Forgets a container's entry: its run must have ended; a restart waiting for its delay is
    /// dropped, attached clients end, and the waits are answered with `exitCode` (the container was
    /// removed) or end unanswered (`nil`: this incarnation lets go).
    func releaseEntry(_ id: String, exitCode: Int?) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        entry.pendingRestart?.cancel()
        entry.hub.finishAll()
        for waiter in entry.waiters {
            if let exitCode { waiter.answer.yield(WaitResult(statusCode: exitCode)) }
            waiter.answer.finish()
        }
    }
}
