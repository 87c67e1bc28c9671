import Foundation
import Messages

/// What volume plugins know beyond berthd's records: volumes made through the plugin by someone else
/// (`VolumeDriver.List`, `VolumeDriver.Get`), a volume's status and current path (`Get`, `Path`),
/// and the driver's scope (`Capabilities`).
extension VolumesChild {
    /// A volume berthd has no record of, if a running volume plugin has it; recorded from then on.
    func adoptFromPlugins(_ name: String) async -> StoredVolume? {
        for driver in await volumeDrivers() {
            guard let reply = try? await callDriver(driver, "Get", ["Name": .string(name)], volume: name), reply["Volume"] != nil else { continue }
            return try? await adopt(name, driver: driver, mountpoint: reply["Volume"]?["Mountpoint"]?.stringValue ?? "")
        }
        return nil
    }

    /// Records the volumes the running volume plugins list that berthd does not know yet.
    func adoptListedVolumes() async {
        for driver in await volumeDrivers() {
            guard let reply = try? await callDriver(driver, "List", [:], volume: "*") else { continue }
            for entry in reply["Volumes"]?.arrayValue ?? [] {
                guard let name = entry["Name"]?.stringValue, volumes[name] == nil else { continue }
                _ = try? await adopt(name, driver: driver, mountpoint: entry["Mountpoint"]?.stringValue ?? "")
            }
        }
    }

    /// A plugin volume's description with the plugin's `Status`, current path and scope; the recorded
    /// one when the plugin does not answer.
    func describe(_ volume: StoredVolume) async -> VolumeDescription {
        var description = volume.description
        guard volume.driver != "local" else { return description }
        if let reply = try? await callDriver(volume.driver, "Get", ["Name": .string(volume.name)], volume: volume.name) {
            if case .object(let members)? = reply["Volume"]?["Status"] { description.Status = Dictionary(members, uniquingKeysWith: { _, last in last }) }
        }
        if let path = try? await callDriver(volume.driver, "Path", ["Name": .string(volume.name)], volume: volume.name)["Mountpoint"]?.stringValue, !path.isEmpty {
            description.Mountpoint = path
        }
        if let scope = try? await callDriver(volume.driver, "Capabilities", [:], volume: volume.name)["Capabilities"]?["Scope"]?.stringValue, !scope.isEmpty {
            description.Scope = scope
        }
        return description
    }

    private func volumeDrivers() async -> [String] {
        (try? await subsystems.plugins.ask { try await $0.plugins(implementing: "VolumeDriver") }) ?? []
    }

    private func adopt(_ name: String, driver: String, mountpoint: String) async throws -> StoredVolume {
        if let known = volumes[name] { return known }
        let volume = StoredVolume(name: name, driver: driver, mountpoint: mountpoint, createdAt: Self.createdAt(), labels: [:], options: [:], anonymous: false)
        try store.save(volume)
        volumes[name] = volume
        return volume
    }
}
