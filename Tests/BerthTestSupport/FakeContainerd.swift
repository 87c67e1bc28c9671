import Foundation
import Messages
import Supervision

/// A stand-in for the `containerd` child, answering as its `FakeScript` says; by default its tasks never
/// exit (`waitTask` hangs) and it reports no out-of-memory event.
public final class FakeContainerd: FakeChild, ContainerdService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
        script.on("waitTask", .hang)
    }

    public func runtimeVersions() async throws -> RuntimeVersions {
        try await script.reply()
    }

    public func importContent(fromFile path: String, mediaType: String, expectedDigest: String?, labels: [String: String], lease: String?) async throws -> ContentDescriptor {
        try await script.reply(path, mediaType, expectedDigest, labels, lease)
    }

    public func exportContent(_ digest: String, toFile path: String) async throws {
        try await script.reply(digest, path, otherwise: ())
    }

    public func contentInfo(_ digest: String) async throws -> ContentInfo? {
        try await script.reply(digest, otherwise: nil)
    }

    public func setContentLabels(_ digest: String, labels: [String: String]) async throws {
        try await script.reply(digest, labels, otherwise: ())
    }

    public func deleteContent(_ digest: String) async throws {
        try await script.reply(digest, otherwise: ())
    }

    public func createLease(expiresAfter: Duration) async throws -> String {
        try await script.reply(expiresAfter)
    }

    public func deleteLease(_ id: String) async throws {
        try await script.reply(id, otherwise: ())
    }

    public func putImageRecord(_ record: ImageRecord) async throws {
        try await script.reply(record, otherwise: ())
    }

    public func deleteImageRecord(named name: String) async throws {
        try await script.reply(name, otherwise: ())
    }

    public func imageRecords() async throws -> [ImageRecord] {
        try await script.reply(otherwise: [])
    }

    public func unpackLayer(_ unpack: LayerUnpack, snapshotter: String, lease: String?) async throws {
        try await script.reply(unpack, snapshotter, lease, otherwise: ())
    }

    public func snapshotExists(_ name: String, snapshotter: String) async throws -> Bool {
        try await script.reply(name, snapshotter, otherwise: false)
    }

    public func removeSnapshot(_ name: String, snapshotter: String) async throws {
        try await script.reply(name, snapshotter, otherwise: ())
    }

    public func snapshotUsage(_ name: String, snapshotter: String) async throws -> Int64 {
        try await script.reply(name, snapshotter, otherwise: 0)
    }

    public func prepareSnapshot(_ key: String, parent: String, snapshotter: String, labels: [String: String]) async throws -> [FilesystemMount] {
        try await script.reply(key, parent, snapshotter, labels, otherwise: [])
    }

    public func snapshotMounts(_ key: String, snapshotter: String) async throws -> [FilesystemMount]? {
        try await script.reply(key, snapshotter, otherwise: nil)
    }

    public func createContainer(_ id: String, spec: Data, labels: [String: String]) async throws {
        try await script.reply(id, spec, labels, otherwise: ())
    }

    public func updateContainerSpec(_ id: String, spec: Data) async throws {
        try await script.reply(id, spec, otherwise: ())
    }

    public func deleteContainer(_ id: String) async throws {
        try await script.reply(id, otherwise: ())
    }

    public func createTask(_ id: String, stdio: TaskStdio) async throws -> Int {
        try await script.reply(id, stdio, otherwise: 0)
    }

    public func startTask(_ id: String, execID: String?) async throws -> Int {
        try await script.reply(id, execID, otherwise: 0)
    }

    public func waitTask(_ id: String, execID: String?) async throws -> TaskExit {
        try await script.reply(id, execID)
    }

    public func killTask(_ id: String, execID: String?, signal: Int32, all: Bool) async throws {
        try await script.reply(id, execID, signal, all, otherwise: ())
    }

    public func deleteTask(_ id: String, execID: String?) async throws -> TaskExit? {
        try await script.reply(id, execID, otherwise: nil)
    }

    public func task(_ id: String) async throws -> TaskInfo? {
        try await script.reply(id, otherwise: nil)
    }

    public func tasks() async throws -> [TaskInfo] {
        try await script.reply(otherwise: [])
    }

    public func pauseTask(_ id: String) async throws {
        try await script.reply(id, otherwise: ())
    }

    public func resumeTask(_ id: String) async throws {
        try await script.reply(id, otherwise: ())
    }

    public func execProcess(_ id: String, execID: String, process: Data, stdio: TaskStdio) async throws {
        try await script.reply(id, execID, process, stdio, otherwise: ())
    }

    public func resizeTask(_ id: String, execID: String?, width: Int, height: Int) async throws {
        try await script.reply(id, execID, width, height, otherwise: ())
    }

    public func closeTaskStdin(_ id: String, execID: String?) async throws {
        try await script.reply(id, execID, otherwise: ())
    }

    public func taskPids(_ id: String) async throws -> [Int] {
        try await script.reply(id, otherwise: [])
    }

    public func updateTaskResources(_ id: String, resources: Data) async throws {
        try await script.reply(id, resources, otherwise: ())
    }

    public func outOfMemoryEvents() async throws -> AsyncThrowingStream<String, any Error> {
        try await script.reply(otherwise: AsyncThrowingStream { _ in })
    }
}
