import Foundation
import Messages
import Supervision

/// A stand-in for the `volumes` child, answering as its `FakeScript` says.
public final class FakeVolumes: FakeChild, VolumesService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func diskUsage() async throws -> [VolumeUsage] {
        try await script.reply(otherwise: [])
    }

    public func createVolume(_ request: VolumeCreateRequest) async throws -> VolumeDescription {
        try await script.reply(request)
    }

    public func volume(_ name: String) async throws -> VolumeDescription {
        try await script.reply(name)
    }

    public func volumes(filters: [String: [String]]) async throws -> [VolumeDescription] {
        try await script.reply(filters, otherwise: [])
    }

    public func removeVolume(_ name: String, force: Bool) async throws {
        try await script.reply(name, force, otherwise: ())
    }

    public func pruneVolumes(filters: [String: [String]], all: Bool) async throws -> VolumePruneReport {
        try await script.reply(filters, all)
    }

    public func claim(_ claims: [VolumeClaim], for containerID: String) async throws -> [VolumeDescription] {
        try await script.reply(claims, containerID, otherwise: [])
    }

    public func release(containerID: String, removeAnonymous: Bool) async throws {
        try await script.reply(containerID, removeAnonymous, otherwise: ())
    }

    public func mount(_ name: String, for containerID: String) async throws -> String {
        try await script.reply(name, containerID)
    }

    public func unmount(_ name: String, for containerID: String) async throws {
        try await script.reply(name, containerID, otherwise: ())
    }

    public func releaseMounts(keeping running: Set<String>) async throws -> Int {
        try await script.reply(running, otherwise: 0)
    }
}
