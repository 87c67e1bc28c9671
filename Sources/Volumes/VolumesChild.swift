import Foundation
import Logging
import Messages
import StateStore
import Supervision

/// The `volumes` child: named and anonymous volumes of the `local` driver and of volume plugins, which
/// containers reference (from create to removal) and mount (while they run), kept in `volumes.db` so
/// that both survive a restart of berthd.
///
/// The pieces: `+Volumes` (create, inspect, list, remove, prune), `+Containers` (claim, release,
/// mount, unmount).
public actor VolumesChild: ServingChild, VolumesService {
    let store: VolumeStore
    let local: LocalDriver
    let subsystems: VolumesSiblings
    let events: any EventBus

    var volumes: [String: StoredVolume] = [:]
    /// Containers referencing each volume.
    var references: [String: Set<String>] = [:]
    /// Running containers that have each volume mounted.
    var mounted: [String: Set<String>] = [:]

    public init(config: DaemonConfig, subsystems: VolumesSiblings, events: any EventBus) throws {
        store = try VolumeStore(dataRoot: config.dataRoot)
        local = LocalDriver(root: config.dataRoot + "/volumes")
        self.subsystems = subsystems
        self.events = events
        for volume in try store.volumes() { volumes[volume.name] = volume }
        references = try store.users(.reference)
        mounted = try store.users(.mounted)
    }

    public func diskUsage() async throws -> [VolumeUsage] {
        volumes.values.sorted { $0.name < $1.name }.map { volume in
            VolumeUsage(
                name: volume.name, driver: volume.driver, mountpoint: volume.mountpoint, createdAt: volume.createdAt, labels: volume.labels,
                scope: "local", size: volume.driver == "local" ? StateStore.diskUsage(of: volume.mountpoint) : -1,
                refCount: Int64(references[volume.name]?.count ?? 0))
        }
    }

    func publish(_ action: String, _ volume: StoredVolume, _ extra: [String: String] = [:]) async {
        var attributes = ["driver": volume.driver]
        attributes.merge(extra) { _, new in new }
        await events.publish(EngineEvent(type: "volume", action: action, actor: .init(id: volume.name, attributes: attributes), timeNano: UnixTime.nowNano))
    }

    func existing(_ name: String) throws -> StoredVolume {
        guard let volume = volumes[name] else { throw EngineError.notFound("get \(name): no such volume") }
        return volume
    }
}
