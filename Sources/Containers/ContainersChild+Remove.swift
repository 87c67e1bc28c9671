import Foundation
import Glibc
import Messages

extension ContainersChild {
    public func remove(_ ref: String, force: Bool, volumes: Bool) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id] else { return }
            if record.state.isRunning {
                guard force else {
                    let state = record.state.status == .paused ? "paused" : "running"
                    throw EngineError.conflict(
                        "cannot remove container \"/\(record.name)\": container is \(state): stop the container before removing or force remove")
                }
                try await stopLocked(id, signal: "SIGKILL", timeout: 0)
            }
            try await removeLocked(id, volumes: volumes)
        }
    }

    /// Deletes a stopped container and everything it owns. The caller holds the container's lock; a
    /// container already gone is no error.
    func removeLocked(_ id: String, volumes: Bool) async throws {
        guard let record = records[id] else { return }
        cancelPendingRestart(id)
        try update(id) { $0.state.status = .removing }
        // A task left by a start that was cut goes first: containerd deletes a container under a live task.
        if try await subsystems.containerd.ask({ try await $0.task(id) }) != nil { try await removeTask(id) }
        await detachSandbox(id)
        if records[id]?.networking.sandboxKey.isEmpty == false {
            throw EngineError.unavailable("releasing the network sandbox of container \(id) failed: try again")
        }
        try await subsystems.containerd.ask { try await $0.deleteContainer(id) }
        try? await subsystems.graphdriver.ask { try await $0.unmount(self.rootfsPath(id)) }
        try await subsystems.graphdriver.ask(deadline: .storage) { try await $0.removeContainerLayer(id) }
        try await subsystems.volumes.ask(deadline: .containerTeardown) { try await $0.release(containerID: id, removeAnonymous: volumes) }
        try requireHolding()
        try store.delete(id)
        records[id] = nil
        if idsByName[record.name] == id { idsByName[record.name] = nil }
        try? FileManager.default.removeItem(atPath: containerDirectory(id))
        try? FileManager.default.removeItem(atPath: runDirectory(id))
        await publish("destroy", record)
        releaseEntry(id, exitCode: record.state.exitCode)
    }

    /// `POST /containers/prune`: removes the stopped containers that match Docker's prune filters
    /// (`until`, `label`, `label!`); returns their IDs.
    public func prune(_ filters: [String: [String]]) async throws -> [String] {
        let filter = try ContainerFilter(filters, allowed: ["until", "label", "label!"])
        var removed: [String] = []
        for record in records.values where !record.state.isRunning && filter.matches(record, among: records) {
            if (try? await serialized(record.id, { try await removeLocked(record.id, volumes: false) })) != nil {
                removed.append(record.id)
            }
        }
        return removed
    }
}
