import Foundation
import Messages
import Supervision

/// A stand-in for the `plugins` child, answering as its `FakeScript` says.
public final class FakePlugins: FakeChild, PluginsService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func inventory() async throws -> PluginInventory {
        try await script.reply()
    }

    public func call(plugin name: String, kind: String, method: String, body: JSONValue) async throws -> JSONValue {
        try await script.reply(name, kind, method, body)
    }

    public func plugins(implementing kind: String) async throws -> [String] {
        try await script.reply(kind, otherwise: [])
    }

    public func authorize(_ request: AuthorizationRequest) async throws -> AuthorizationVerdict {
        try await script.reply(request)
    }

    public func authorizeResponse(_ request: AuthorizationRequest, _ response: AuthorizationResponse) async throws -> AuthorizationVerdict {
        try await script.reply(request, response)
    }
}
