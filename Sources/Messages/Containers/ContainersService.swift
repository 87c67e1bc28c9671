import Foundation

/// Requests the `containers` child answers: the container life cycle and everything around it.
/// Containers are named by full ID, name, or unique ID prefix (`ref`); a missing one is `notFound`
/// ("No such container: ref").
public protocol ContainersService: Sendable {
    /// How many containers exist, by state, for `/info` and metrics.
    func counts() async throws -> ContainerCounts
    /// Every container with its sizes, for `/system/df`.
    func diskUsage() async throws -> [ContainerUsage]
    /// The bytes a container's read-write layer uses (`SizeRw` of `docker ps -s` and inspect `size=1`).
    func layerSize(_ ref: String) async throws -> Int64

    func create(_ request: ContainerCreateRequest) async throws -> ContainerCreated
    func start(_ ref: String, detachKeys: String?) async throws
    /// Stops with `signal` (default: the image's StopSignal, else SIGTERM), then SIGKILL after `timeout`
    /// seconds (default: the container's StopTimeout, else 10; -1 waits forever).
    func stop(_ ref: String, signal: String?, timeout: Int?) async throws
    func kill(_ ref: String, signal: String?) async throws
    func restart(_ ref: String, signal: String?, timeout: Int?) async throws
    func pause(_ ref: String) async throws
    func unpause(_ ref: String) async throws
    /// Registers a wait at once (so a `start` sent after it cannot be missed) and returns the pending answer.
    func wait(_ ref: String, condition: WaitCondition) async throws -> PendingWait
    /// `force` kills a running container first; `volumes` removes its anonymous volumes.
    func remove(_ ref: String, force: Bool, volumes: Bool) async throws
    func rename(_ ref: String, to name: String) async throws
    func inspect(_ ref: String) async throws -> ContainerRecord
    /// Every container (running ones only unless `all`), newest first, after Docker's list filters.
    func list(all: Bool, filters: [String: [String]]) async throws -> [ContainerRecord]
    func attach(_ ref: String, _ request: AttachRequest) async throws -> StreamSession
    func logs(_ ref: String, _ request: LogsRequest) async throws -> StreamSession
    func resize(_ ref: String, width: Int, height: Int) async throws
    /// `POST /containers/{id}/update`: merges the given limits (zero and empty values change nothing)
    /// and restart policy into the container, live when it runs; returns warnings.
    func update(_ ref: String, resources: Resources, restartPolicy: RestartPolicy?) async throws -> [String]
    /// `GET /containers/{id}/top`: the container's processes as `ps` shows them (`ps_args`, default `-ef`).
    func top(_ ref: String, psArguments: String?) async throws -> ProcessTable
    /// One reading of a running container's counters (`nil`: the container is not running).
    func stats(_ ref: String) async throws -> StatsSample?
    /// `POST /commit`: the container's changes as a new image (paused meanwhile when `pause`); returns its ID.
    func commit(_ ref: String, options: CommitOptions) async throws -> String
    /// The container's changes to its image, as a layer tar written to the file `path` (what `commit`
    /// stores; a build step's result).
    func writeLayer(_ ref: String, toFile path: String) async throws
    /// A build's `COPY`/`ADD` into a container that is not running: the tar at `archive` holds entries
    /// named relative to `destination`, which Docker's rule applies to (a directory, or one file's new
    /// name; see `ContainerRoot.copy`). `chown` (`user[:group]`, names looked up in the container's own
    /// passwd and group files) owns every entry; nil keeps the archive's owners.
    func copyIn(_ ref: String, fromFile archive: String, destination: String, chown: String?) async throws
    /// Removes the stopped containers that match the prune filters; returns their IDs.
    func prune(_ filters: [String: [String]]) async throws -> [String]
    /// `docker network connect`: adds a network to a container (at once when it runs, else at its
    /// next start).
    func connect(_ ref: String, network: String, settings: EndpointSettings) async throws
    /// `docker network disconnect`.
    func disconnect(_ ref: String, network: String, force: Bool) async throws
    /// The IDs of the containers that run now (their network sandboxes are live).
    func runningIDs() async throws -> Set<String>
    /// Starts, once at boot, the containers whose restart policy says they should run; returns how many.
    func restoreAtBoot() async throws -> Int
    /// Stops every running container within its stop timeout (berthd is going down without live-restore).
    func stopAllForShutdown() async

    /// `HEAD /containers/{id}/archive`: the `X-Docker-Container-Path-Stat` header value of a path.
    func statPath(_ ref: String, path: String) async throws -> String
    /// `GET /containers/{id}/archive`: writes a tar of `path` to the file `archive`; returns the stat header.
    func archivePath(_ ref: String, path: String, toFile archive: String) async throws -> String
    /// `PUT /containers/{id}/archive`: extracts the tar at `archive` into the directory `path`.
    func extractArchive(_ ref: String, path: String, fromFile archive: String, noOverwriteDirNonDir: Bool) async throws
    /// `GET /containers/{id}/changes`.
    func changes(_ ref: String) async throws -> [FilesystemChange]
    /// `GET /containers/{id}/export`: writes a tar of the whole root filesystem to `archive`.
    func export(_ ref: String, toFile archive: String) async throws

    func createExec(_ ref: String, _ config: ExecConfig) async throws -> String
    /// Readies an exec and returns the session to its streams; with `detach` it also runs it (its
    /// output is discarded and the session's stream ends at once).
    func startExec(_ id: String, detach: Bool, tty: Bool?) async throws -> StreamSession
    /// Runs an exec readied by `startExec` (the HTTP front calls it once the connection is hijacked).
    func launchExec(_ id: String) async throws
    func inspectExec(_ id: String) async throws -> ExecRecord
    func resizeExec(_ id: String, width: Int, height: Int) async throws
}

/// A registered wait: `result()` returns when its condition is met (or the containers child stops).
public final class PendingWait: Sendable {
    private let answer: AsyncStream<WaitResult>

    public init(_ answer: AsyncStream<WaitResult>) { self.answer = answer }

    public func result() async -> WaitResult {
        for await result in answer { return result }
        return WaitResult(statusCode: -1, error: "the containers subsystem stopped while waiting")
    }
}

public struct ContainerCounts: Sendable, Codable, Hashable {
    public var running: Int
    public var paused: Int
    public var stopped: Int
    public var total: Int { running + paused + stopped }

    public init(running: Int, paused: Int, stopped: Int) {
        self.running = running
        self.paused = paused
        self.stopped = stopped
    }
}

public struct ContainerUsage: Sendable, Codable, Hashable {
    public var id: String
    public var names: [String]
    public var image: String
    public var imageID: String
    public var command: String
    public var created: Int64
    public var state: String
    public var status: String
    public var sizeRw: Int64
    public var sizeRootFs: Int64
    public var labels: [String: String]

    public init(id: String, names: [String], image: String, imageID: String, command: String, created: Int64, state: String, status: String, sizeRw: Int64, sizeRootFs: Int64, labels: [String: String]) {
        self.id = id
        self.names = names
        self.image = image
        self.imageID = imageID
        self.command = command
        self.created = created
        self.state = state
        self.status = status
        self.sizeRw = sizeRw
        self.sizeRootFs = sizeRootFs
        self.labels = labels
    }
}

/// `docker top`'s answer: `ps` column titles and one row per process.
public struct ProcessTable: Sendable, Codable, Equatable {
    public var titles: [String]
    public var processes: [[String]]

    public init(titles: [String], processes: [[String]]) {
        self.titles = titles
        self.processes = processes
    }
}

/// One reading of a container's cgroup counters, for `docker stats`.
public struct StatsSample: Sendable, Codable, Equatable {
    public var readNano: Int64
    /// CPU time in nanoseconds: total, per CPU, in user and in kernel mode.
    public var cpuTotal: UInt64
    public var cpuPerCPU: [UInt64]
    public var cpuUser: UInt64
    public var cpuKernel: UInt64
    /// The host's CPU time in nanoseconds (all CPUs), and how many CPUs are online.
    public var systemCPU: UInt64
    public var onlineCPUs: Int
    public var memoryUsage: UInt64
    public var memoryMaxUsage: UInt64
    public var memoryLimit: UInt64
    public var memoryStats: [String: UInt64]
    public var pids: UInt64
    public var pidsLimit: UInt64?
    /// `major:minor op value` rows of `blkio.throttle.io_service_bytes`.
    public var ioServiceBytes: [BlockIOEntry]

    public init(
        readNano: Int64, cpuTotal: UInt64, cpuPerCPU: [UInt64], cpuUser: UInt64, cpuKernel: UInt64, systemCPU: UInt64, onlineCPUs: Int,
        memoryUsage: UInt64, memoryMaxUsage: UInt64, memoryLimit: UInt64, memoryStats: [String: UInt64], pids: UInt64, pidsLimit: UInt64?,
        ioServiceBytes: [BlockIOEntry]
    ) {
        self.readNano = readNano
        self.cpuTotal = cpuTotal
        self.cpuPerCPU = cpuPerCPU
        self.cpuUser = cpuUser
        self.cpuKernel = cpuKernel
        self.systemCPU = systemCPU
        self.onlineCPUs = onlineCPUs
        self.memoryUsage = memoryUsage
        self.memoryMaxUsage = memoryMaxUsage
        self.memoryLimit = memoryLimit
        self.memoryStats = memoryStats
        self.pids = pids
        self.pidsLimit = pidsLimit
        self.ioServiceBytes = ioServiceBytes
    }
}

public struct BlockIOEntry: Sendable, Codable, Equatable {
    public var major: UInt64
    public var minor: UInt64
    public var op: String
    public var value: UInt64

    public init(major: UInt64, minor: UInt64, op: String, value: UInt64) {
        self.major = major
        self.minor = minor
        self.op = op
        self.value = value
    }
}
