import Messages

extension PluginsChild {
    public func authorize(_ request: AuthorizationRequest) async throws -> AuthorizationVerdict {
        try await verdict(asking: "AuthZPlugin.AuthZReq", about: .object(request.pluginMembers))
    }

    public func authorizeResponse(_ request: AuthorizationRequest, _ response: AuthorizationResponse) async throws -> AuthorizationVerdict {
        try await verdict(asking: "AuthZPlugin.AuthZRes", about: .object(request.pluginMembers + response.pluginMembers))
    }

    /// Asks the authorization plugins in force, in order. The first that denies decides, with its `Msg`;
    /// one that fails (an `Err`, unreachable, too slow) denies too, with the failure, as dockerd fails
    /// closed.
    private func verdict(asking method: String, about message: JSONValue) async throws -> AuthorizationVerdict {
        for name in configStore.current.authorizationPlugins {
            let reply: JSONValue
            do {
                reply = try await call(plugin: name, kind: "authz", method: method, body: message)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return AuthorizationVerdict(allowed: false, plugin: name, message: "\(error)")
            }
            if let failure = reply["Err"]?.stringValue, !failure.isEmpty {
                return AuthorizationVerdict(allowed: false, plugin: name, message: failure)
            }
            guard reply["Allow"] == .bool(true) else {
                return AuthorizationVerdict(allowed: false, plugin: name, message: reply["Msg"]?.stringValue ?? "")
            }
        }
        return .allowed
    }
}
