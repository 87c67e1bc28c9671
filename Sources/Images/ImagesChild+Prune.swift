import Foundation
import Messages

extension ImagesChild {
    /// `POST /images/prune`: removes dangling images (untagged), or with `dangling=false` every image,
    /// narrowed by `until` and `label` filters; images that containers use are kept.
    public func prune(_ filters: [String: [String]]) async throws -> ImagePruneReport {
        let unknown = Set(filters.keys).subtracting(["dangling", "until", "label", "label!"])
        if let key = unknown.first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        let danglingOnly = (filters["dangling"]?.last).map { $0 == "true" || $0 == "1" } ?? true
        var selection = filters.filter { $0.key == "until" || $0.key == "label" }
        if danglingOnly { selection["dangling"] = ["true"] }
        let candidates = try await list(ImageListQuery(all: !danglingOnly, filters: selection))
        let excluded = filters["label!"] ?? []
        var report = ImagePruneReport(deleted: [], spaceReclaimed: 0)
        let used = Set(try await subsystems.containers.ask { try await $0.list(all: true, filters: [:]) }.map(\.imageID))
        for image in candidates where !used.contains(image.id) && !excluded.contains(where: { LabelFilter.matches($0, in: image.labels) }) {
            report.deleted += try await remove(image.id, force: true, prune: true)
            report.spaceReclaimed += image.size
        }
        await events.publish(EngineEvent(
            type: "image", action: "prune", actor: .init(id: "", attributes: ["reclaimed": "\(report.spaceReclaimed)"]),
            timeNano: UnixTime.nowNano))
        return report
    }
}
