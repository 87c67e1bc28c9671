/// `POST /containers/create`.
public struct ContainerCreateRequest: Sendable, Codable, Equatable {
    /// The requested name (without `/`); `nil` for a generated one.
    public var name: String?
    public var config: ContainerConfig
    public var hostConfig: HostConfig
    public var networkingConfig: NetworkingConfig?

    public init(name: String?, config: ContainerConfig, hostConfig: HostConfig, networkingConfig: NetworkingConfig?) {
        self.name = name
        self.config = config
        self.hostConfig = hostConfig
        self.networkingConfig = networkingConfig
    }
}

public struct ContainerCreated: Sendable, Codable, Equatable {
    public var id: String
    public var warnings: [String]

    public init(id: String, warnings: [String]) {
        self.id = id
        self.warnings = warnings
    }
}

/// What `POST /containers/{id}/wait` waits for.
public enum WaitCondition: String, Sendable, Codable {
    /// Returns at once unless the container is running.
    case notRunning = "not-running"
    /// The next exit, even of a container not started yet.
    case nextExit = "next-exit"
    /// The container is removed.
    case removed
}

/// The answer of a wait: the exit code, and an error message when the wait itself failed.
public struct WaitResult: Sendable, Codable, Equatable {
    public var statusCode: Int
    public var error: String?

    public init(statusCode: Int, error: String? = nil) {
        self.statusCode = statusCode
        self.error = error
    }
}

/// `POST /containers/{id}/attach` (and the attach part of `docker run`).
public struct AttachRequest: Sendable, Codable, Equatable {
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    /// Replay the container's logs first.
    public var logs: Bool
    /// Follow live output.
    public var stream: Bool
    /// The detach sequence (`ctrl-p,ctrl-q` by default).
    public var detachKeys: String?

    public init(stdin: Bool, stdout: Bool, stderr: Bool, logs: Bool, stream: Bool, detachKeys: String?) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.logs = logs
        self.stream = stream
        self.detachKeys = detachKeys
    }
}

/// `GET /containers/{id}/logs`, its parameters as the client wrote them.
public struct LogsRequest: Sendable, Codable, Equatable {
    public var stdout: Bool
    public var stderr: Bool
    public var follow: Bool
    /// Unix seconds with an optional fraction (`1700000000.123456789`); absent, empty or `0`: unbounded.
    public var since: String?
    public var until: String?
    /// A number of lines, or `all`.
    public var tail: String?

    public init(stdout: Bool, stderr: Bool, follow: Bool, since: String? = nil, until: String? = nil, tail: String? = nil) {
        self.stdout = stdout
        self.stderr = stderr
        self.follow = follow
        self.since = since
        self.until = until
        self.tail = tail
    }
}

/// `POST /containers/{id}/exec`: Docker's `ExecConfig`, a wire mirror.
public struct ExecConfig: Sendable, Codable, Equatable {
    public var AttachStdin: Bool?
    public var AttachStdout: Bool?
    public var AttachStderr: Bool?
    public var DetachKeys: String?
    public var Tty: Bool?
    public var ConsoleSize: [Int]?
    public var Env: [String]?
    public var Cmd: [String]?
    public var Privileged: Bool?
    public var User: String?
    public var WorkingDir: String?

    public init() {}
}

/// What `GET /exec/{id}/json` shows.
public struct ExecRecord: Sendable, Codable, Equatable {
    public var id: String
    public var containerID: String
    public var config: ExecConfig
    public var running: Bool
    public var exitCode: Int?
    public var pid: Int

    public init(id: String, containerID: String, config: ExecConfig, running: Bool = false, exitCode: Int? = nil, pid: Int = 0) {
        self.id = id
        self.containerID = containerID
        self.config = config
        self.running = running
        self.exitCode = exitCode
        self.pid = pid
    }
}
