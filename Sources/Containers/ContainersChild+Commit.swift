import Foundation
import Messages

extension ContainersChild {
    public func commit(_ ref: String, options: CommitOptions) async throws -> String {
        let record = try resolve(ref)
        var options = options
        options.containerID = record.id
        let layer = config.dataRoot + "/tmp/commit-layer-" + EngineID.random().prefix(16)
        try FileManager.default.createDirectory(atPath: config.dataRoot + "/tmp", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: layer) }
        let pause = options.pause && record.state.status == .running && entries[record.id]?.run != nil
        if pause { try await subsystems.containerd.ask { try await $0.pauseTask(record.id) } }
        do {
            try await writeLayer(record.id, toFile: layer)
        } catch {
            if pause { _ = try? await subsystems.containerd.ask { try await $0.resumeTask(record.id) } }
            throw error
        }
        if pause { try await subsystems.containerd.ask { try await $0.resumeTask(record.id) } }
        let (imageID, config, settled) = (record.imageID, record.config, options)
        let id = try await subsystems.images.ask(deadline: .transfer) {
            try await $0.commit(layerAt: layer, parentID: imageID, config: config, options: settled)
        }
        await publish("commit", record, ["comment": options.comment, "imageID": id])
        return id
    }
}
