import Foundation

/// Requests the `plugins` child answers: legacy plugins (Docker's plugin protocol, JSON over HTTP on a
/// unix socket or TCP) found in the plugin directories, activated on first use.
public protocol PluginsService: Sendable {
    /// The plugins available per kind, as `/info` lists them under `Plugins`.
    func inventory() async throws -> PluginInventory
    /// Calls `method` (`VolumeDriver.Create`, …) of plugin `name`, which must implement `kind`
    /// (`VolumeDriver`, `authz`), with a JSON body; the plugin's JSON reply. A plugin that cannot be
    /// found is `notFound`; one that is down or does not answer in time is `unavailable`, with a
    /// message naming it; a reply with a non-empty `Err` is returned as it is (the caller words it).
    func call(plugin name: String, kind: String, method: String, body: JSONValue) async throws -> JSONValue
    /// The names of the plugins found that implement `kind`.
    func plugins(implementing kind: String) async throws -> [String]
    /// The verdict of the configured authorization plugins (`authorization-plugins`) on a request,
    /// asked in order; the first denial wins. Allowed when none is configured.
    func authorize(_ request: AuthorizationRequest) async throws -> AuthorizationVerdict
    /// The same plugins' verdict on the response to an allowed request (`AuthZPlugin.AuthZRes`).
    func authorizeResponse(_ request: AuthorizationRequest, _ response: AuthorizationResponse) async throws -> AuthorizationVerdict
}

public struct PluginInventory: Sendable, Codable, Hashable {
    public var volume: [String]
    public var network: [String]
    public var authorization: [String]
    public var log: [String]

    public init(volume: [String], network: [String], authorization: [String], log: [String]) {
        self.volume = volume
        self.network = network
        self.authorization = authorization
        self.log = log
    }
}

/// A request as authorization plugins see it (`AuthZReq`).
public struct AuthorizationRequest: Sendable, Codable, Equatable {
    /// The authenticated user ("" over the unix socket).
    public var user: String
    public var method: String
    /// Path and query, as the client sent them (`/v1.50/containers/json?all=1`).
    public var uri: String
    public var headers: [String: String]
    /// The body when it is JSON and small; nil otherwise.
    public var body: Data?

    public init(user: String = "", method: String, uri: String, headers: [String: String], body: Data?) {
        self.user = user
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// A response as authorization plugins see it (`AuthZRes`).
public struct AuthorizationResponse: Sendable, Codable, Equatable {
    public var statusCode: Int
    public var headers: [String: String]
    /// The body when it is a complete JSON body; nil for streams.
    public var body: Data?

    public init(statusCode: Int, headers: [String: String], body: Data?) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// Whether a request (or its response) may go on; when not, which plugin said no and why.
public struct AuthorizationVerdict: Sendable, Codable, Equatable {
    public var allowed: Bool
    public var plugin: String
    /// The plugin's `Msg` (denial) or `Err` (failure).
    public var message: String

    public init(allowed: Bool, plugin: String = "", message: String = "") {
        self.allowed = allowed
        self.plugin = plugin
        self.message = message
    }

    public static let allowed = AuthorizationVerdict(allowed: true)
}
