import ContainerdAPI
import Foundation
import GRPCCore
import Messages
import SwiftProtobuf

extension ContainerdChild {
    public func createTask(_ id: String, stdio: TaskStdio) async throws -> Int {
        try await call("task create \(id)") { connection in
            Int(
                try await connection.tasks.create(
                    .with {
                        $0.containerID = id
                        $0.stdin = stdio.stdin
                        $0.stdout = stdio.stdout
                        $0.stderr = stdio.stderr
                        $0.terminal = stdio.terminal
                    },
                    options: ContainerdConnection.slow
                ).pid)
        }
    }

    public func startTask(_ id: String, execID: String?) async throws -> Int {
        try await call("task start \(id)") { connection in
            Int(
                try await connection.tasks.start(
                    .with {
                        $0.containerID = id
                        $0.execID = execID ?? ""
                    },
                    options: ContainerdConnection.slow
                ).pid)
        }
    }

    /// Waits on its own connection reference, so a wait outlives nothing but the incarnation: when
    /// containerd goes away the wait fails and the caller waits again on the next one.
    public func waitTask(_ id: String, execID: String?) async throws -> TaskExit {
        let response = try await call("task wait \(id)") { connection in
            try await connection.tasks.wait(
                .with {
                    $0.containerID = id
                    $0.execID = execID ?? ""
                },
                options: ContainerdConnection.streaming)
        }
        return TaskExit(status: Int(response.exitStatus), exitedAtNano: Self.nanos(response.hasExitedAt ? response.exitedAt : nil))
    }

    public func killTask(_ id: String, execID: String?, signal: Int32, all: Bool) async throws {
        try await call("task kill \(id)") { connection in
            _ = try await connection.tasks.kill(
                .with {
                    $0.containerID = id
                    $0.execID = execID ?? ""
                    $0.signal = UInt32(signal)
                    $0.all = all
                },
                options: ContainerdConnection.unary)
        }
    }

    public func deleteTask(_ id: String, execID: String?) async throws -> TaskExit? {
        if let execID {
            return try await callUnlessNotFound("process delete \(id)/\(execID)") { connection in
                let response = try await connection.tasks.deleteProcess(
                    .with {
                        $0.containerID = id
                        $0.execID = execID
                    },
                    options: ContainerdConnection.slow)
                return TaskExit(status: Int(response.exitStatus), exitedAtNano: Self.nanos(response.hasExitedAt ? response.exitedAt : nil))
            }
        }
        return try await callUnlessNotFound("task delete \(id)") { connection in
            let response = try await connection.tasks.delete(.with { $0.containerID = id }, options: ContainerdConnection.slow)
            return TaskExit(status: Int(response.exitStatus), exitedAtNano: Self.nanos(response.hasExitedAt ? response.exitedAt : nil))
        }
    }

    public func task(_ id: String) async throws -> TaskInfo? {
        try await callUnlessNotFound("task get \(id)") { connection in
            Self.info(try await connection.tasks.get(.with { $0.containerID = id }, options: ContainerdConnection.unary).process)
        }
    }

    public func tasks() async throws -> [TaskInfo] {
        try await call("task list") { connection in
            try await connection.tasks.list(.init(), options: ContainerdConnection.unary).tasks.map(Self.info)
        }
    }

    public func pauseTask(_ id: String) async throws {
        try await call("task pause \(id)") { connection in
            _ = try await connection.tasks.pause(.with { $0.containerID = id }, options: ContainerdConnection.unary)
        }
    }

    public func resumeTask(_ id: String) async throws {
        try await call("task resume \(id)") { connection in
            _ = try await connection.tasks.resume(.with { $0.containerID = id }, options: ContainerdConnection.unary)
        }
    }

    public func execProcess(_ id: String, execID: String, process: Data, stdio: TaskStdio) async throws {
        try await call("task exec \(id)") { connection in
            _ = try await connection.tasks.exec(
                .with {
                    $0.containerID = id
                    $0.execID = execID
                    $0.stdin = stdio.stdin
                    $0.stdout = stdio.stdout
                    $0.stderr = stdio.stderr
                    $0.terminal = stdio.terminal
                    $0.spec = Self.packed(process, as: Self.processTypeURL)
                },
                options: ContainerdConnection.slow)
        }
    }

    public func resizeTask(_ id: String, execID: String?, width: Int, height: Int) async throws {
        try await call("task resize \(id)") { connection in
            _ = try await connection.tasks.resizePty(
                .with {
                    $0.containerID = id
                    $0.execID = execID ?? ""
                    $0.width = UInt32(clamping: width)
                    $0.height = UInt32(clamping: height)
                },
                options: ContainerdConnection.unary)
        }
    }

    public func closeTaskStdin(_ id: String, execID: String?) async throws {
        try await call("task close stdin \(id)") { connection in
            _ = try await connection.tasks.closeIO(
                .with {
                    $0.containerID = id
                    $0.execID = execID ?? ""
                    $0.stdin = true
                },
                options: ContainerdConnection.unary)
        }
    }

    public func taskPids(_ id: String) async throws -> [Int] {
        try await call("task pids \(id)") { connection in
            try await connection.tasks.listPids(.with { $0.containerID = id }, options: ContainerdConnection.unary).processes.map { Int($0.pid) }
        }
    }

    public func updateTaskResources(_ id: String, resources: Data) async throws {
        try await call("task update \(id)") { connection in
            _ = try await connection.tasks.update(
                .with {
                    $0.containerID = id
                    $0.resources = Self.packed(resources, as: Self.resourcesTypeURL)
                },
                options: ContainerdConnection.unary)
        }
    }

    private static func info(_ process: Containerd_V1_Types_Process) -> TaskInfo {
        let status: TaskInfo.Status =
            switch process.status {
            case .created: .created
            case .running: .running
            case .stopped: .stopped
            case .paused: .paused
            case .pausing: .pausing
            default: .unknown
            }
        let exit = status == .stopped ? TaskExit(status: Int(process.exitStatus), exitedAtNano: nanos(process.hasExitedAt ? process.exitedAt : nil)) : nil
        return TaskInfo(id: process.containerID.isEmpty ? process.id : process.containerID, pid: Int(process.pid), status: status, exit: exit)
    }

    /// A containerd timestamp in nanoseconds since the epoch; 0 when absent, before the epoch, or past
    /// what an `Int64` of nanoseconds holds (year 2262).
    static func nanos(_ timestamp: Google_Protobuf_Timestamp?) -> Int64 {
        guard let timestamp, timestamp.seconds > 0 else { return 0 }
        return UnixTime.nano(seconds: timestamp.seconds, nanoseconds: Int64(timestamp.nanos)) ?? 0
    }
}
