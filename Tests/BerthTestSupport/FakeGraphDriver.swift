import Foundation
import Messages
import Supervision

/// A stand-in for the `graphdriver` child, answering as its `FakeScript` says.
public final class FakeGraphDriver: FakeChild, GraphDriverService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func status() async throws -> StorageDriverStatus {
        try await script.reply()
    }

    public func layersSize() async throws -> Int64 {
        try await script.reply(otherwise: 0)
    }

    public func unpack(_ layers: [LayerUnpack], lease: String?) async throws {
        try await script.reply(layers, lease, otherwise: ())
    }

    public func prepareContainerLayer(_ containerID: String, parentChainID: String?) async throws {
        try await script.reply(containerID, parentChainID, otherwise: ())
    }

    public func mountContainerLayer(_ containerID: String, at path: String) async throws {
        try await script.reply(containerID, path, otherwise: ())
    }

    public func unmount(_ path: String) async throws {
        try await script.reply(path, otherwise: ())
    }

    public func removeContainerLayer(_ containerID: String) async throws {
        try await script.reply(containerID, otherwise: ())
    }

    public func containerLayerSize(_ containerID: String) async throws -> Int64 {
        try await script.reply(containerID, otherwise: 0)
    }

    public func containerLayerPaths(_ containerID: String) async throws -> ContainerLayerPaths {
        try await script.reply(containerID)
    }
}
