import Foundation
import Messages
import StateStore

extension VolumesChild {
    public func createVolume(_ request: VolumeCreateRequest) async throws -> VolumeDescription {
        if request.ClusterVolumeSpec != nil { throw EngineError.invalidArgument("cluster volumes need swarm mode, which berthd does not have") }
        let claim = VolumeClaim(name: request.Name.flatMap { $0.isEmpty ? nil : $0 }, driver: request.Driver ?? "", options: request.DriverOpts ?? [:], labels: request.Labels ?? [:])
        return try await obtain(claim).description
    }

    public func volume(_ name: String) async throws -> VolumeDescription {
        if let volume = volumes[name] { return await describe(volume) }
        guard let adopted = await adoptFromPlugins(name) else { return try existing(name).description }
        return await describe(adopted)
    }

    public func volumes(filters: [String: [String]]) async throws -> [VolumeDescription] {
        let filter = try VolumeFilter(filters)
        await adoptListedVolumes()
        return volumes.values.sorted { $0.name < $1.name }
            .filter { filter.matches($0, referenced: !(references[$0.name] ?? []).isEmpty) }
            .map(\.description)
    }

    public func removeVolume(_ name: String, force: Bool) async throws {
        guard let volume = volumes[name] else {
            if force { return }
            throw EngineError.notFound("get \(name): no such volume")
        }
        if let users = references[name], !users.isEmpty {
            throw EngineError.conflict("remove \(name): volume is in use - [\(users.sorted().joined(separator: ", "))]")
        }
        do {
            try await destroy(volume)
        } catch where force {
            try store.remove(name)
            volumes[name] = nil
        }
    }

    public func pruneVolumes(filters: [String: [String]], all: Bool) async throws -> VolumePruneReport {
        let unknown = Set(filters.keys).subtracting(["label", "label!", "all"])
        if let key = unknown.first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        let everything = all || (filters["all"] ?? []).contains { ["true", "1"].contains($0.lowercased()) }
        var report = VolumePruneReport(removed: [], spaceReclaimed: 0)
        for volume in volumes.values.sorted(by: { $0.name < $1.name }) where (references[volume.name] ?? []).isEmpty {
            guard everything || volume.anonymous, LabelFilter.matches(filters, in: volume.labels) else { continue }
            let size = volume.driver == "local" ? StateStore.diskUsage(of: volume.mountpoint) : 0
            if (try? await destroy(volume)) != nil {
                report.removed.append(volume.name)
                report.spaceReclaimed += size
            }
        }
        return report
    }

    /// The volume a claim names — created when missing — or a new anonymous one.
    func obtain(_ claim: VolumeClaim) async throws -> StoredVolume {
        if let name = claim.name {
            guard name.count >= 2, name.wholeMatch(of: #/[a-zA-Z0-9][a-zA-Z0-9_.-]+/#) != nil else {
                throw EngineError.invalidArgument(
                    "create \(name): \"\(name)\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")
            }
            if let volume = volumes[name] {
                guard claim.driver.isEmpty || volume.driver == claim.driver else {
                    throw EngineError.conflict("create \(name): volume name must be unique: a volume of driver \(volume.driver) has this name")
                }
                return volume
            }
        }
        let name = claim.name ?? EngineID.random()
        let driver = claim.driver.isEmpty ? "local" : claim.driver
        var labels = claim.labels
        if claim.name == nil { labels[StoredVolume.anonymousLabel] = "" }
        var volume = StoredVolume(
            name: name, driver: driver, mountpoint: "", createdAt: Self.createdAt(), labels: labels, options: claim.options,
            anonymous: claim.name == nil)
        if driver == "local" {
            try local.validate(claim.options)
            volume.mountpoint = try local.create(name)
        } else {
            _ = try await callDriver(driver, "Create", ["Name": .string(name), "Opts": .from(claim.options)], volume: name)
        }
        do {
            try store.save(volume)
        } catch {
            try? await discard(volume)
            throw error
        }
        volumes[name] = volume
        await publish("create", volume)
        return volume
    }

    /// Removes a volume's data and its record.
    func destroy(_ volume: StoredVolume) async throws {
        try await discard(volume)
        try store.remove(volume.name)
        volumes[volume.name] = nil
        references[volume.name] = nil
        mounted[volume.name] = nil
        await publish("destroy", volume)
    }

    private func discard(_ volume: StoredVolume) async throws {
        if volume.driver == "local" {
            try local.remove(volume.name)
        } else {
            _ = try await callDriver(volume.driver, "Remove", ["Name": .string(volume.name)], volume: volume.name)
        }
    }

    /// Calls `VolumeDriver.METHOD` of a volume plugin; its `Err` becomes the error.
    func callDriver(_ driver: String, _ method: String, _ body: JSONValue, volume: String) async throws -> JSONValue {
        let reply = try await subsystems.plugins.ask(deadline: .pluginCall) {
            try await $0.call(plugin: driver, kind: "VolumeDriver", method: "VolumeDriver." + method, body: body)
        }
        if let message = reply["Err"]?.stringValue, !message.isEmpty {
            throw EngineError.internal("\(method.lowercased()) \(volume): VolumeDriver.\(method): \(message)")
        }
        return reply
    }

    static func createdAt() -> String {
        UnixTime.rfc3339(nano: UnixTime.nowNano, fraction: .omitted)
    }
}
