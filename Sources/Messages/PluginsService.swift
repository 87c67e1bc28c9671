/// Requests the `plugins` child answers.
public protocol PluginsService: Sendable {
    /// The plugins available per kind, as `/info` lists them under `Plugins`.
    func inventory() async throws -> PluginInventory
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
