import Foundation

/// Requests the `containerd` child answers: the runtime versions, and the content store, leases, image
/// records and snapshots that the other children build on. Blobs travel as files, never as messages:
/// a caller stages a file and asks for it to be imported, or names a file to export into.
///
/// Every call works in berthd's containerd namespace. A `lease` protects what a call creates from
/// containerd's garbage collector until the lease is deleted.
import Foundation

public protocol ContainerdService: Sendable {
    /// The versions of containerd and runc, as `/version` and `/info` report them.
    func runtimeVersions() async throws -> RuntimeVersions

    // MARK: Content

    /// Streams a local file into the content store and returns its descriptor. With `expectedDigest`
    /// the import fails (and stores nothing) when the file's digest differs. Importing a blob that is
    /// already there only updates its labels.
    func importContent(fromFile path: String, mediaType: String, expectedDigest: String?, labels: [String: String], lease: String?) async throws -> ContentDescriptor
    /// Writes a blob of the content store to a local file (created or truncated).
    func exportContent(_ digest: String, toFile path: String) async throws
    /// The size and labels of a blob, or `nil` when the store does not have it.
    func contentInfo(_ digest: String) async throws -> ContentInfo?
    /// Replaces the labels of a blob (for example the `containerd.io/gc.ref.*` labels that keep an image's
    /// parts alive).
    func setContentLabels(_ digest: String, labels: [String: String]) async throws
    /// Deletes a blob; a missing blob is not an error.
    func deleteContent(_ digest: String) async throws

    // MARK: Leases

    /// Creates a lease that expires after `expiresAfter` unless deleted first; returns its ID.
    func createLease(expiresAfter: Duration) async throws -> String
    /// Deletes a lease (what only it protected becomes collectable); a missing lease is not an error.
    func deleteLease(_ id: String) async throws

    // MARK: Image records

    /// Creates or updates an image record.
    func putImageRecord(_ record: ImageRecord) async throws
    /// Deletes an image record; a missing record is not an error.
    func deleteImageRecord(named name: String) async throws
    /// Every image record in berthd's namespace.
    func imageRecords() async throws -> [ImageRecord]

    // MARK: Snapshots

    /// Applies a layer on top of its parent with containerd's differ and commits the result as the
    /// snapshot named `chainID`; does nothing when that snapshot exists. Fails, leaving nothing behind,
    /// when the applied tar's digest is not `diffID`.
    func unpackLayer(_ unpack: LayerUnpack, snapshotter: String, lease: String?) async throws
    /// Whether a committed snapshot with this name exists.
    func snapshotExists(_ name: String, snapshotter: String) async throws -> Bool
    /// Removes a snapshot; a missing one is not an error.
    func removeSnapshot(_ name: String, snapshotter: String) async throws
    /// The bytes a snapshot uses on disk.
    func snapshotUsage(_ name: String, snapshotter: String) async throws -> Int64

    /// Prepares an active (writable) snapshot `key` on top of the committed `parent` (empty: an empty
    /// root) and returns how to mount it; an existing `key` returns its mounts.
    func prepareSnapshot(_ key: String, parent: String, snapshotter: String, labels: [String: String]) async throws -> [FilesystemMount]
    /// The mounts of an existing active snapshot, or `nil` when there is none.
    func snapshotMounts(_ key: String, snapshotter: String) async throws -> [FilesystemMount]?

    // MARK: Containers and tasks

    /// Creates containerd's container record (its OCI spec, runtime `io.containerd.runc.v2`); an
    /// existing record is replaced.
    func createContainer(_ id: String, spec: Data, labels: [String: String]) async throws
    /// Replaces the OCI spec of an existing container record.
    func updateContainerSpec(_ id: String, spec: Data) async throws
    /// Deletes a container record; a missing one is not an error.
    func deleteContainer(_ id: String) async throws
    /// Creates the task (the init process, not yet started) of a container, with its stdio; returns its pid.
    func createTask(_ id: String, stdio: TaskStdio) async throws -> Int
    /// Starts a created task, or an exec'd process when `execID` is set; returns its pid.
    func startTask(_ id: String, execID: String?) async throws -> Int
    /// Waits until the task (or exec'd process) exits and returns its status.
    func waitTask(_ id: String, execID: String?) async throws -> TaskExit
    /// Sends a signal to the task's init process (`all`: every process of the container) or an exec'd process.
    func killTask(_ id: String, execID: String?, signal: Int32, all: Bool) async throws
    /// Deletes a stopped task (or an exec'd process) and returns its exit status; `nil` when there is none.
    func deleteTask(_ id: String, execID: String?) async throws -> TaskExit?
    /// The state of a container's task, or `nil` when it has none.
    func task(_ id: String) async throws -> TaskInfo?
    /// Every task in berthd's namespace.
    func tasks() async throws -> [TaskInfo]
    func pauseTask(_ id: String) async throws
    func resumeTask(_ id: String) async throws
    /// Adds a process to a running task (`docker exec`); `process` is the OCI process JSON.
    func execProcess(_ id: String, execID: String, process: Data, stdio: TaskStdio) async throws
    /// Resizes the terminal of the task or of an exec'd process.
    func resizeTask(_ id: String, execID: String?, width: Int, height: Int) async throws
    /// Closes the stdin of the task or of an exec'd process.
    func closeTaskStdin(_ id: String, execID: String?) async throws
    /// The host pids of a task's processes.
    func taskPids(_ id: String) async throws -> [Int]
    /// Applies new resource limits (OCI `linux.resources` JSON) to a running task.
    func updateTaskResources(_ id: String, resources: Data) async throws
    /// The IDs of containers whose task hit its memory limit, as containerd reports them from now on.
    /// The stream ends (or fails) when this incarnation's connection does; subscribe again then.
    func outOfMemoryEvents() async throws -> AsyncThrowingStream<String, any Error>
}

/// The versions of the container runtime below berthd.
public struct RuntimeVersions: Sendable, Codable, Hashable {
    public var containerdVersion: String
    public var containerdRevision: String
    public var runcVersion: String
    public var runcCommit: String
    /// The gRPC address berthd talks to.
    public var containerdAddress: String

    public init(containerdVersion: String, containerdRevision: String, runcVersion: String, runcCommit: String, containerdAddress: String) {
        self.containerdVersion = containerdVersion
        self.containerdRevision = containerdRevision
        self.runcVersion = runcVersion
        self.runcCommit = runcCommit
        self.containerdAddress = containerdAddress
    }
}
