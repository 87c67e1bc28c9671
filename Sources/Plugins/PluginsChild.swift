import Logging
import Messages
import Supervision

/// The `plugins` child: Docker's legacy plugins (the plugin protocol v1, JSON over HTTP on a unix socket
/// or TCP), found in the plugin directories and activated on first use, and the chain of
/// authorization plugins that `authorization-plugins` names.
///
/// Activations are cached in memory and recorded in `plugins.db`; a plugin that stops accepting
/// connections is forgotten and activated again when it comes back. Waiting for a plugin never holds
/// the actor: other calls, to other plugins, go on meanwhile. It does not know managed (v2) plugins.
///
/// The pieces: `+Activation` (finding, activating and calling a plugin, with retries and timeouts),
/// `+Authorization` (`AuthZPlugin.AuthZReq` and `AuthZRes`).
public actor PluginsChild: SupervisedChild, PluginsService {
    let store: PluginStore
    let configStore: ConfigStore
    let directories: PluginDirectories
    let timeouts: PluginTimeouts
    /// The plugins activated and answering, by name.
    var activated: [String: ActivatedPlugin] = [:]
    /// Every plugin this incarnation has activated: one of them that is gone is "not available", and
    /// is waited for `timeouts.reconnection` rather than `timeouts.activation`.
    var seen: Set<String> = []
    /// Every plugin ever activated, as `plugins.db` has them (read once, then kept up to date).
    var recorded: [String: ActivatedPlugin] = [:]
    var logger = Logger(label: "berth.plugins")

    public init(config: DaemonConfig, configStore: ConfigStore, timeouts: PluginTimeouts = PluginTimeouts()) throws {
        store = try PluginStore(dataRoot: config.dataRoot)
        for plugin in try store.activated() { recorded[plugin.name] = plugin }
        self.configStore = configStore
        directories = PluginDirectories(socketDirectories: config.pluginSocketDirs, specDirectories: config.pluginSpecDirs)
        self.timeouts = timeouts
    }

    public func run(_ context: ChildContext) async throws {
        logger = context.logger
        context.ready()
        await context.untilStopped()
    }

    public func inventory() async throws -> PluginInventory {
        let volumeDrivers = recorded.values.sorted { $0.name < $1.name }
            .filter { $0.implements.contains("VolumeDriver") && $0.name != "local" && (try? directories.locate($0.name)) != nil }
            .map(\.name)
        return PluginInventory(
            volume: ["local"] + volumeDrivers, network: ["bridge", "host", "null"],
            authorization: configStore.current.authorizationPlugins, log: ["json-file", "local", "none"])
    }

    public func call(plugin name: String, kind: String, method: String, body: JSONValue) async throws -> JSONValue {
        try await retryingWhileAbsent(name, for: seen.contains(name) ? timeouts.reconnection : timeouts.activation) {
            let plugin = try await activate(name)
            guard plugin.implements.contains(kind) else {
                throw EngineError.notFound("plugin \(name) does not implement \(kind) (it implements \(plugin.implements.joined(separator: ", ")))")
            }
            return try await exchange(with: name, at: plugin.address, method: method, body: body)
        }
    }

    /// Activates every plugin found (one try each, all at once) and keeps those implementing `kind`.
    public func plugins(implementing kind: String) async throws -> [String] {
        let names = directories.names()
        return await withTaskGroup(of: ActivatedPlugin?.self) { group in
            for name in names {
                group.addTask { try? await self.activatedPlugin(name, waitingUpTo: .zero) }
            }
            var found: [String] = []
            for await plugin in group {
                if let plugin, plugin.implements.contains(kind) { found.append(plugin.name) }
            }
            return found.sorted()
        }
    }
}
