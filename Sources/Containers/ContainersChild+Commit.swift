import Foundation
import Messages
import NIOPosix

extension ContainersChild {
    public func commit(_ ref: String, options: CommitOptions) async throws -> String {
        let record = try resolve(ref)
        var options = options
        options.containerID = record.id
        let layer = config.dataRoot + "/tmp/commit-layer-" + EngineID.random().prefix(16)
        try FileManager.default.createDirectory(atPath: config.dataRoot + "/tmp", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: layer) }
        let paths = try await subsystems.graphdriver.ask { try await $0.containerLayerPaths(record.id) }
        let pause = options.pause && record.state.status == .running && runs[record.id] != nil
        if pause { try await subsystems.containerd.ask { try await $0.pauseTask(record.id) } }
        do {
            try await NIOThreadPool.singleton.runIfActive {
                guard FileManager.default.createFile(atPath: layer, contents: nil) else { throw EngineError.internal("cannot create \(layer)") }
                let output = try FileHandle(forWritingTo: URL(fileURLWithPath: layer))
                defer { try? output.close() }
                if paths.driver == "overlayfs" && !paths.lowers.isEmpty {
                    try LayerArchive.writeOverlay(upperDirectory: paths.upper, to: output)
                } else {
                    try LayerArchive.writeDifference(of: paths.upper, base: nil, to: output)
                }
            }
        } catch {
            if pause { _ = try? await subsystems.containerd.ask { try await $0.resumeTask(record.id) } }
            throw error
        }
        if pause { try await subsystems.containerd.ask { try await $0.resumeTask(record.id) } }
        let (imageID, config, settled) = (record.imageID, record.config, options)
        let id = try await subsystems.images.ask(timeout: .seconds(1800)) {
            try await $0.commit(layerAt: layer, parentID: imageID, config: config, options: settled)
        }
        await publish("commit", record, ["comment": options.comment, "imageID": id])
        return id
    }
}
