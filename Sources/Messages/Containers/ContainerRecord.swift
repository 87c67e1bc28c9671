/// Everything berthd knows about one container: what `GET /containers/{id}/json` shows and what the
/// `containers` child stores in `containers.db`.
public struct ContainerRecord: Sendable, Codable, Equatable {
    public var id: String
    /// Without the leading `/`.
    public var name: String
    public var createdNano: Int64
    /// The command's executable and arguments (entrypoint + cmd, image values filled in).
    public var path: String
    public var args: [String]
    /// The configuration after the image's defaults were merged in.
    @Boxed public var config: ContainerConfig
    @Boxed public var hostConfig: HostConfig
    public var networking: ContainerNetworking
    /// Volumes, binds and tmpfs mounts, decided at create.
    public var mounts: [MountPoint]
    /// The image's ID (`sha256:…`); `config.Image` keeps the name the user gave.
    public var imageID: String
    public var state: ContainerState
    public var restartCount: Int
    /// Set once a user stopped the container (suppresses `unless-stopped` and `always` at boot).
    public var stoppedByUser: Bool
    public var logPath: String
    public var hostnamePath: String
    public var hostsPath: String
    public var resolvConfPath: String
    public var driver: String

    public init(
        id: String, name: String, createdNano: Int64, path: String, args: [String], config: ContainerConfig, hostConfig: HostConfig,
        networking: ContainerNetworking = ContainerNetworking(), mounts: [MountPoint] = [], imageID: String, state: ContainerState = ContainerState(), restartCount: Int = 0,
        stoppedByUser: Bool = false, logPath: String = "", hostnamePath: String = "", hostsPath: String = "", resolvConfPath: String = "",
        driver: String = ""
    ) {
        self.id = id
        self.name = name
        self.createdNano = createdNano
        self.path = path
        self.args = args
        self.config = config
        self.hostConfig = hostConfig
        self.networking = networking
        self.mounts = mounts
        self.imageID = imageID
        self.state = state
        self.restartCount = restartCount
        self.stoppedByUser = stoppedByUser
        self.logPath = logPath
        self.hostnamePath = hostnamePath
        self.hostsPath = hostsPath
        self.resolvConfPath = resolvConfPath
        self.driver = driver
    }
}

/// A container's run state, as `State` in inspect shows it.
public struct ContainerState: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case created, running, paused, restarting, removing, exited, dead
    }

    public var status: Status
    public var pid: Int
    public var exitCode: Int
    public var error: String
    public var oomKilled: Bool
    public var startedAtNano: Int64
    public var finishedAtNano: Int64
    public var health: HealthState?

    public init(status: Status = .created, pid: Int = 0, exitCode: Int = 0, error: String = "", oomKilled: Bool = false, startedAtNano: Int64 = 0, finishedAtNano: Int64 = 0, health: HealthState? = nil) {
        self.status = status
        self.pid = pid
        self.exitCode = exitCode
        self.error = error
        self.oomKilled = oomKilled
        self.startedAtNano = startedAtNano
        self.finishedAtNano = finishedAtNano
        self.health = health
    }

    /// Running or paused: a task exists.
    public var isRunning: Bool { status == .running || status == .paused || status == .restarting }
}

/// A container's health (`State.Health`).
public struct HealthState: Sendable, Codable, Equatable {
    /// `starting`, `healthy` or `unhealthy`.
    public var status: String
    public var failingStreak: Int
    public var log: [HealthProbe]

    public init(status: String, failingStreak: Int = 0, log: [HealthProbe] = []) {
        self.status = status
        self.failingStreak = failingStreak
        self.log = log
    }
}

/// One healthcheck run.
public struct HealthProbe: Sendable, Codable, Equatable {
    public var startNano: Int64
    public var endNano: Int64
    public var exitCode: Int
    public var output: String

    public init(startNano: Int64, endNano: Int64, exitCode: Int, output: String) {
        self.startNano = startNano
        self.endNano = endNano
        self.exitCode = exitCode
        self.output = output
    }
}
