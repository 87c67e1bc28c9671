import Foundation
import Messages
import Supervision

/// One `docker exec` process; forgotten when its container stops, as Docker forgets them.
struct ExecProcess: Sendable {
    var record: ExecRecord
    var io: ProcessIO?
    let hub = OutputHub()
}

extension ContainersChild {
    public func createExec(_ ref: String, _ config: ExecConfig) async throws -> String {
        let container = try resolve(ref)
        try requireRunning(container)
        guard let command = config.Cmd, !command.isEmpty else { throw EngineError.invalidArgument("No exec command specified") }
        let id = EngineID.random()
        execs[id] = ExecProcess(record: ExecRecord(id: id, containerID: container.id, config: config))
        await publish("exec_create: " + command.joined(separator: " "), container, ["execID": id])
        return id
    }

    public func inspectExec(_ id: String) async throws -> ExecRecord {
        guard let exec = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
        return exec.record
    }

    public func resizeExec(_ id: String, width: Int, height: Int) async throws {
        guard let exec = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
        guard exec.record.running else { throw EngineError.conflict("Exec \(id) is not running") }
        try await subsystems.containerd.ask { try await $0.resizeTask(exec.record.containerID, execID: id, width: width, height: height) }
    }

    /// Readies an exec: its stdio and, unless `detach`, a session subscribed to its output. The
    /// process runs on `launchExec` — at once with `detach`, else once the client's connection is
    /// hijacked, so no output can arrive before the response head.
    public func startExec(_ id: String, detach: Bool, tty: Bool?) async throws -> StreamSession {
        guard var exec = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
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
        execs[id] = exec
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
        guard let exec = execs[id], let io = exec.io, !exec.record.running, exec.record.exitCode == nil else {
            throw EngineError.conflict("Exec \(id) has already run")
        }
        let container = try resolve(exec.record.containerID)
        let config = exec.record.config
        let containerd = subsystems.containerd
        execs[id]?.record.running = true
        do {
            try requireRunning(container)
            let process = try makeExecProcess(container, config)
            try await containerd.ask(timeout: .seconds(120)) { try await $0.execProcess(container.id, execID: id, process: process, stdio: io.stdio) }
            let hub = exec.hub
            let pump = Task { await io.pump { await hub.publish($0) { !io.isReleased } } }
            let pid = try await containerd.ask(timeout: .seconds(120)) { try await $0.startTask(container.id, execID: id) }
            execs[id]?.record.pid = pid
            await publish("exec_start: " + (config.Cmd ?? []).joined(separator: " "), container, ["execID": id])
            Task { await self.watchExec(id, containerID: container.id, io: io, pump: pump) }
        } catch {
            let failure = StartFailure(error)
            execs[id]?.record.running = false
            execs[id]?.record.exitCode = failure.exitCode
            execs[id]?.io = nil
            _ = try? await containerd.ask { try await $0.deleteTask(container.id, execID: id) }
            await io.close()
            if failure.error.code == .invalidArgument {
                await exec.hub.publish(OutputChunk(stream: .stderr, bytes: Array((failure.message + "\n").utf8))) { false }
            }
            exec.hub.finishAll()
            if failure.error.code != .invalidArgument { throw failure.error }
        }
    }

    private func watchExec(_ id: String, containerID: String, io: ProcessIO, pump: Task<Void, Never>) async {
        let containerd = subsystems.containerd
        let exit = try? await containerd.ask(timeout: .seconds(365 * 24 * 3600)) { try await $0.waitTask(containerID, execID: id) }
        io.releaseKeepers()
        await pump.value
        let deleted = try? await containerd.ask { try await $0.deleteTask(containerID, execID: id) }
        await io.close()
        let status = deleted?.status ?? exit?.status ?? 137
        execs[id]?.record.running = false
        execs[id]?.record.exitCode = status
        execs[id]?.io = nil
        execs[id]?.hub.finishAll()
        if let container = records[containerID] { await publish("exec_die", container, ["execID": id, "exitCode": "\(status)"]) }
    }

    func requireRunning(_ container: ContainerRecord) throws {
        if container.state.status == .paused {
            throw EngineError.conflict("Container \(container.id) is paused, unpause the container before exec")
        }
        guard container.state.status == .running, runs[container.id] != nil else {
            throw EngineError.conflict("Container \(container.id) is not running")
        }
    }
}
