import Foundation
import Messages
import Supervision

/// One `docker exec` process of a container's run.
struct ExecProcess: Sendable {
    var record: ExecRecord
    var io: ProcessIO?
    let hub = OutputHub()
    /// Reads its output into `hub` while it runs.
    var pump: Task<Void, Never>?
    /// Waits for its exit and records it.
    var watcher: Task<Void, Never>?

    /// This incarnation lets go: the process runs on, its FIFOs stay for the next one to read.
    func detach() async {
        watcher?.cancel()
        pump?.cancel()
        await io?.closeChannels()
        hub.finishAll()
        await watcher?.value
    }
}

extension ContainersChild {
    public func createExec(_ ref: String, _ config: ExecConfig) async throws -> String {
        let container = try resolve(ref)
        try requireRunning(container)
        guard let command = config.Cmd, !command.isEmpty else { throw EngineError.invalidArgument("No exec command specified") }
        let id = EngineID.random()
        entries[container.id]?.run?.execs[id] = ExecProcess(record: ExecRecord(id: id, containerID: container.id, config: config))
        saveExecs(of: container.id)
        await publish("exec_create: " + command.joined(separator: " "), container, ["execID": id])
        return id
    }

    public func inspectExec(_ id: String) async throws -> ExecRecord {
        try execSession(id).record
    }

    public func resizeExec(_ id: String, width: Int, height: Int) async throws {
        let exec = try execSession(id)
        guard exec.record.running else { throw EngineError.conflict("Exec \(id) is not running") }
        try await subsystems.containerd.ask { try await $0.resizeTask(exec.record.containerID, execID: id, width: width, height: height) }
    }

    /// Readies an exec: its stdio and, unless `detach`, a session subscribed to its output. The
    /// process runs on `launchExec` — at once with `detach`, else once the client's connection is
    /// hijacked, so no output can arrive before the response head.
    public func startExec(_ id: String, detach: Bool, tty: Bool?) async throws -> StreamSession {
        var exec = try execSession(id)
        guard exec.record.pid == 0 && !exec.record.running && exec.record.exitCode == nil && exec.io == nil else {
            throw EngineError.conflict("Exec \(id) has already run")
        }
        let container = try resolve(exec.record.containerID)
        try requireRunning(container)
        if let tty { exec.record.config.Tty = tty }
        let config = exec.record.config
        let output = detach ? nil : exec.hub.subscribe()
        let containerd = subsystems.containerd
        let io = try await ProcessIO.open(
            directory: runDirectory(container.id), name: "exec-" + id, stdin: config.AttachStdin == true && !detach, tty: config.Tty == true,
            stdinCloser: { _ = try? await containerd.ask { try await $0.closeTaskStdin(container.id, execID: id) } })
        exec.io = io
        entries[container.id]?.run?.execs[id] = exec
        if detach {
            try await launchExec(id)
            return StreamSession(tty: config.Tty == true, output: AsyncStream { $0.finish() }, stdin: nil)
        }
        let stdin = config.AttachStdin == true ? StdinWriter(write: { await io.writeStdin($0) }, close: { await io.closeStdin() }) : nil
        return StreamSession(tty: config.Tty == true, output: output ?? AsyncStream { $0.finish() }, stdin: stdin)
    }

    /// Runs a readied exec's process. A command that cannot run is told in the exec's output, as
    /// Docker does, with exit code 126 or 127 in inspect; other failures are thrown.
    public func launchExec(_ id: String) async throws {
        let exec = try execSession(id)
        guard let io = exec.io, !exec.record.running, exec.record.exitCode == nil else {
            throw EngineError.conflict("Exec \(id) has already run")
        }
        let container = try resolve(exec.record.containerID)
        let config = exec.record.config
        let containerd = subsystems.containerd
        changeExec(id, of: container.id, saving: false) { $0.record.running = true }
        do {
            try requireRunning(container)
            let process = try makeExecProcess(container, config)
            try await containerd.ask(deadline: .containerSetup) { try await $0.execProcess(container.id, execID: id, process: process, stdio: io.stdio) }
            let hub = exec.hub
            let pump = Task { await io.pump { await hub.publish($0) { !io.isReleased } } }
            let pid = try await containerd.ask(deadline: .containerSetup) { try await $0.startTask(container.id, execID: id) }
            changeExec(id, of: container.id) {
                $0.record.pid = pid
                $0.pump = pump
                $0.watcher = Task { await self.watchExec(id, containerID: container.id, io: io, pump: pump, hub: hub) }
            }
            await publish("exec_start: " + (config.Cmd ?? []).joined(separator: " "), container, ["execID": id])
        } catch {
            let failure = StartFailure(error)
            changeExec(id, of: container.id) {
                $0.record.running = false
                $0.record.exitCode = failure.exitCode
                $0.io = nil
            }
            _ = try? await containerd.ask { try await $0.deleteTask(container.id, execID: id) }
            await io.close()
            if failure.error.code == .invalidArgument {
                await exec.hub.publish(OutputChunk(stream: .stderr, bytes: Array((failure.message + "\n").utf8))) { false }
            }
            exec.hub.finishAll()
            if failure.error.code != .invalidArgument { throw failure.error }
        }
    }

    /// Waits for an exec's exit, drains its output, and records its exit code.
    private func watchExec(_ id: String, containerID: String, io: ProcessIO, pump: Task<Void, Never>, hub: OutputHub) async {
        let containerd = subsystems.containerd
        let exit = try? await containerd.ask(deadline: .processExit) { try await $0.waitTask(containerID, execID: id) }
        // Cancelled: this incarnation let go and the process runs on for the next one to watch.
        guard !Task.isCancelled else { return }
        io.releaseKeepers()
        await pump.value
        let deleted = try? await containerd.ask { try await $0.deleteTask(containerID, execID: id) }
        await io.close()
        let status = deleted?.status ?? exit?.status ?? 137
        changeExec(id, of: containerID) {
            $0.record.running = false
            $0.record.exitCode = status
            $0.io = nil
        }
        hub.finishAll()
        if let container = records[containerID] { await publish("exec_die", container, ["execID": id, "exitCode": "\(status)"]) }
    }

    /// Picks up the exec sessions a running container had in an earlier incarnation: their records, and
    /// for the processes still running their output and exit.
    func reattachExecs(_ containerID: String) async {
        for record in ExecJournal.load(directory: runDirectory(containerID)) {
            var exec = ExecProcess(record: record)
            if record.running && record.pid > 0 {
                do {
                    let io = try await ProcessIO.open(directory: runDirectory(containerID), name: "exec-" + record.id, stdin: false, tty: record.config.Tty == true)
                    let hub = exec.hub
                    let pump = Task { await io.pump { await hub.publish($0) { !io.isReleased } } }
                    exec.io = io
                    exec.pump = pump
                    exec.watcher = Task { await self.watchExec(record.id, containerID: containerID, io: io, pump: pump, hub: hub) }
                } catch {
                    logger?.warning("cannot read an exec's output again", metadata: ["exec": "\(record.id)", "error": "\(error)"])
                }
            } else if record.running {
                // Cut short before its process started.
                exec.record.running = false
                exec.record.exitCode = 126
            }
            entries[containerID]?.run?.execs[record.id] = exec
        }
    }

    /// The exec session `id` of a running container.
    func execSession(_ id: String) throws -> ExecProcess {
        for entry in entries.values {
            if let exec = entry.run?.execs[id] { return exec }
        }
        throw EngineError.notFound("No such exec instance: \(id)")
    }

    /// Changes an exec session of a running container and, unless told not to, writes its container's
    /// sessions through to their journal.
    private func changeExec(_ id: String, of containerID: String, saving: Bool = true, _ change: (inout ExecProcess) -> Void) {
        guard var exec = entries[containerID]?.run?.execs[id] else { return }
        change(&exec)
        entries[containerID]?.run?.execs[id] = exec
        if saving { saveExecs(of: containerID) }
    }

    private func saveExecs(of containerID: String) {
        guard let execs = entries[containerID]?.run?.execs else { return }
        do {
            try ExecJournal.save(execs.values.map(\.record), directory: runDirectory(containerID))
        } catch {
            logger?.warning("cannot write the exec sessions", metadata: ["container": "\(containerID)", "error": "\(error)"])
        }
    }

    func requireRunning(_ container: ContainerRecord) throws {
        if container.state.status == .paused {
            throw EngineError.conflict("Container \(container.id) is paused, unpause the container before exec")
        }
        guard container.state.status == .running, entries[container.id]?.run != nil else {
            throw EngineError.conflict("Container \(container.id) is not running")
        }
    }
}

/// The exec sessions of a container's run, in `execs.json` beside its FIFOs: the next incarnation of
/// the child (or of berthd) finds them there while the container runs on. Removed when the run ends.
enum ExecJournal {
    static func save(_ records: [ExecRecord], directory: String) throws {
        try JSONEncoder().encode(records).write(to: URL(fileURLWithPath: path(directory)), options: .atomic)
    }

    /// The sessions written, or none when there is no readable journal.
    static func load(directory: String) -> [ExecRecord] {
        guard let data = FileManager.default.contents(atPath: path(directory)) else { return [] }
        return (try? JSONDecoder().decode([ExecRecord].self, from: data)) ?? []
    }

    static func remove(directory: String) {
        try? FileManager.default.removeItem(atPath: path(directory))
    }

    private static func path(_ directory: String) -> String { directory + "/execs.json" }
}
