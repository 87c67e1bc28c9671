import Foundation
import Messages

extension VolumesChild {
    public func claim(_ claims: [VolumeClaim], for containerID: String) async throws -> [VolumeDescription] {
        var claimed: [VolumeDescription] = []
        do {
            for claim in claims {
                let volume = try await obtain(claim)
                try store.add(.reference, volume: volume.name, container: containerID)
                references[volume.name, default: []].insert(containerID)
                claimed.append(volume.description)
            }
        } catch {
            try? await release(containerID: containerID, removeAnonymous: true)
            throw error
        }
        return claimed
    }

    public func release(containerID: String, removeAnonymous: Bool) async throws {
        for (name, users) in references where users.contains(containerID) {
            try store.delete(.reference, volume: name, container: containerID)
            references[name]?.remove(containerID)
            if removeAnonymous, let volume = volumes[name], volume.anonymous, references[name]?.isEmpty ?? true {
                try await destroy(volume)
            }
        }
    }

    public func mount(_ name: String, for containerID: String) async throws -> String {
        guard var volume = volumes[name] else { throw EngineError.notFound("get \(name): no such volume") }
        let firstUser = (mounted[name] ?? []).isEmpty
        if volume.driver == "local" {
            if firstUser && local.mountsFilesystem(volume.options) { try await local.mountFilesystem(name, options: volume.options) }
        } else {
            let reply = try await callDriver(volume.driver, "Mount", ["Name": .string(name), "ID": .string(containerID)], volume: name)
            guard let path = reply["Mountpoint"]?.stringValue, path.hasPrefix("/") else {
                throw EngineError.internal("mount \(name): VolumeDriver.Mount: the plugin answered no mount point")
            }
            if path != volume.mountpoint {
                volume.mountpoint = path
                try store.save(volume)
                volumes[name] = volume
            }
        }
        try store.add(.mounted, volume: name, container: containerID)
        mounted[name, default: []].insert(containerID)
        await publish("mount", volume, ["container": containerID])
        return volume.mountpoint
    }

    public func unmount(_ name: String, for containerID: String) async throws {
        guard let volume = volumes[name], mounted[name]?.contains(containerID) == true else { return }
        try store.delete(.mounted, volume: name, container: containerID)
        mounted[name]?.remove(containerID)
        await publish("unmount", volume, ["container": containerID])
        if volume.driver == "local" {
            if (mounted[name] ?? []).isEmpty && local.mountsFilesystem(volume.options) { local.unmountFilesystem(name) }
        } else {
            _ = try await callDriver(volume.driver, "Unmount", ["Name": .string(name), "ID": .string(containerID)], volume: name)
        }
    }

    public func releaseMounts(keeping running: Set<String>) async throws -> Int {
        var released = 0
        for (name, users) in mounted {
            for containerID in users where !running.contains(containerID) {
                try? await unmount(name, for: containerID)
                released += 1
            }
        }
        return released
    }
}
