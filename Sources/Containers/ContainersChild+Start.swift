import Foundation
import Messages
import Supervision

extension ContainersChild {
    public func start(_ ref: String, detachKeys: String?) async throws {
        let id = try resolve(ref).id
        try await serialized(id) { try await startLocked(id) }
    }

    /// Starts a stopped container: mounts its root, hands containerd the spec, opens its stdio, creates
    /// and starts the task, and watches for its exit. Any failure undoes what was done and leaves the
    /// container exited with the error in its state (exit code 127 or 126 when the command could not
    /// run, as Docker reports).
    func startLocked(_ id: String) async throws {
        guard let record = records[id] else { throw EngineError.notFound("No such container: \(id)") }
        if record.state.isRunning && record.state.status != .restarting {
            throw EngineError(.notModified, "container already started")
        }
        if record.state.status == .removing { throw EngineError.conflict("container is marked for removal and cannot be started") }
        let rootfs = rootfsPath(id)
        var io: ProcessIO?
        do {
            // The root filesystem is mounted while the network is set up; both are awaited before
            // anything goes on (or is undone), so a failure of one never races the other's cleanup.
            async let mounted: Void = subsystems.graphdriver.ask { try await $0.mountContainerLayer(id, at: rootfs) }
            let sandbox: Sandbox?
            do {
                sandbox = try await attachSandbox(id)
            } catch {
                try? await mounted
                throw error
            }
            try await mounted
            guard let record = records[id] else { throw EngineError.notFound("No such container: \(id)") }
            try ContainerFiles.write(for: record, nameserver: sandbox?.nameserver, hostGateway: await hostGateway(record))
            let mounts = try await mountVolumes(id, rootfs: rootfs)
            let spec = try await makeSpec(record, rootfs: rootfs, mounts: mounts)
            try await subsystems.containerd.ask { try await $0.createContainer(id, spec: spec, labels: ["berth.name": record.name]) }
            let processIO = try await openIO(record)
            io = processIO
            let pid = try await subsystems.containerd.ask(deadline: .containerSetup) { try await $0.createTask(id, stdio: processIO.stdio) }
            beginRun(id, io: processIO)
            await entry(id).stdinRelay.connect(processIO)
            _ = try await subsystems.containerd.ask(deadline: .containerSetup) { try await $0.startTask(id, execID: nil) }
            try update(id) {
                $0.state = ContainerState(
                    status: .running, pid: pid, startedAtNano: UnixTime.nowNano,
                    health: Self.probeCommand($0.config.Healthcheck).map { _ in HealthState(status: "starting") })
                $0.stoppedByUser = false
            }
            watchExit(id)
            scheduleHealthchecks(id)
            if let record = records[id] { await publish("start", record) }
        } catch {
            let failure = StartFailure(error)
            await releaseRun(id, .failedStart(io))
            try? update(id) {
                $0.state.status = .exited
                $0.state.exitCode = failure.exitCode
                $0.state.error = failure.message
                $0.state.pid = 0
                $0.state.finishedAtNano = UnixTime.nowNano
            }
            answerWaiters(id, conditions: [.notRunning, .nextExit], status: failure.exitCode, error: failure.message)
            if records[id]?.hostConfig.AutoRemove == true { try? await removeLocked(id, volumes: true) }
            throw failure.error
        }
    }

    /// The address `host-gateway` stands for in `--add-host`: the default bridge's gateway.
    private func hostGateway(_ record: ContainerRecord) async -> String? {
        guard (record.hostConfig.ExtraHosts ?? []).contains(where: { $0.hasSuffix("host-gateway") }) else { return nil }
        return try? await subsystems.network.ask { try await $0.network("bridge") }.IPAM.Config?.first?.Gateway
    }

    /// Opens (or reopens) the stdio FIFOs of a container's init process.
    func openIO(_ record: ContainerRecord) async throws -> ProcessIO {
        let containerd = subsystems.containerd
        let id = record.id
        return try await ProcessIO.open(
            directory: runDirectory(id), name: "init", stdin: record.config.OpenStdin == true, tty: record.config.Tty == true,
            stdinCloser: { _ = try? await containerd.ask { try await $0.closeTaskStdin(id, execID: nil) } })
    }

    /// Starts reading a run's output into the log and the attached clients.
    func beginRun(_ id: String, io: ProcessIO) {
        let hub = entry(id).hub
        let log = records[id].flatMap(openLogWriter)
        let pump = Task {
            await io.pump { chunk in
                await hub.publish(chunk) { !io.isReleased }
                let change = try? log?.write(chunk.bytes, from: StdStream(rawValue: chunk.stream.rawValue) ?? .stdout)
                if let change = change ?? nil { await self.logCollection(id, change) }
            }
        }
        entries[id]?.run = ContainerRun(io: io, exited: OneShot(), pump: pump, log: log)
    }
}

/// Why a start failed, in Docker's terms: a command that could not be found or run is the user's error
/// (400, exit code 127 or 126); anything else is the daemon's (500, exit code 128).
struct StartFailure {
    let error: EngineError
    let exitCode: Int
    var message: String { error.message }

    init(_ error: any Error) {
        let engineError = error as? EngineError ?? EngineError.internal("\(error)")
        let text = engineError.message
        if text.contains("executable file not found") || text.contains("no such file or directory") {
            self.error = engineError.code == .internal ? EngineError.invalidArgument(text) : engineError
            exitCode = 127
        } else if text.contains("permission denied") {
            self.error = engineError.code == .internal ? EngineError.invalidArgument(text) : engineError
            exitCode = 126
        } else {
            self.error = engineError
            exitCode = 128
        }
    }
}
