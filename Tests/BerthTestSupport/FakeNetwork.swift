import Foundation
import Messages
import Supervision

/// A stand-in for the `network` child, answering as its `FakeScript` says.
public final class FakeNetwork: FakeChild, NetworkService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func overview() async throws -> NetworkOverview {
        try await script.reply()
    }

    public func createNetwork(_ request: NetworkCreateRequest) async throws -> String {
        try await script.reply(request)
    }

    public func network(_ ref: String) async throws -> NetworkDescription {
        try await script.reply(ref)
    }

    public func networks(filters: [String: [String]]) async throws -> [NetworkDescription] {
        try await script.reply(filters, otherwise: [])
    }

    public func removeNetwork(_ ref: String) async throws {
        try await script.reply(ref, otherwise: ())
    }

    public func pruneNetworks(filters: [String: [String]]) async throws -> [String] {
        try await script.reply(filters, otherwise: [])
    }

    public func attach(_ request: SandboxRequest) async throws -> Sandbox {
        try await script.reply(request)
    }

    public func connect(_ containerID: String, _ endpoint: EndpointRequest) async throws -> AttachedEndpoint {
        try await script.reply(containerID, endpoint)
    }

    public func disconnect(_ containerID: String, network: String) async throws {
        try await script.reply(containerID, network, otherwise: ())
    }

    public func detach(_ containerID: String) async throws {
        try await script.reply(containerID, otherwise: ())
    }

    public func releaseSandboxes(keeping running: Set<String>) async throws -> Int {
        try await script.reply(running, otherwise: 0)
    }
}
