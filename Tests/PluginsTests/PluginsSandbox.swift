import Foundation
import Messages
import Supervision

@testable import Plugins

/// A temporary data root with a socket directory and a spec directory, and children that look there.
struct PluginsSandbox {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("plugins-\(UInt32.random(in: 0...UInt32.max))").path
    var socketDirectory: String { root + "/run" }
    var specDirectory: String { root + "/etc" }
    let configStore: ConfigStore

    init(authorizationPlugins: [String] = []) throws {
        var config = DaemonConfig()
        config.authorizationPlugins = authorizationPlugins
        configStore = ConfigStore(config)
        for directory in [socketDirectory, specDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    var config: DaemonConfig {
        var config = DaemonConfig()
        config.dataRoot = root + "/data"
        config.pluginSocketDirs = [socketDirectory]
        config.pluginSpecDirs = [specDirectory]
        return config
    }

    var directories: PluginDirectories { PluginDirectories(socketDirectories: [socketDirectory], specDirectories: [specDirectory]) }

    func child(timeouts: PluginTimeouts = .fast) throws -> PluginsChild {
        try PluginsChild(config: config, configStore: configStore, timeouts: timeouts)
    }

    /// Starts a plugin listening on `NAME.sock` in the socket directory.
    func startPlugin(_ name: String, implements: [String], routes: [String: FakePlugin.Route] = [:]) async throws -> FakePlugin {
        try await FakePlugin.start(at: socketPath(name), implements: implements, routes: routes)
    }

    func socketPath(_ name: String) -> String { "\(socketDirectory)/\(name).sock" }

    func writeSpec(_ file: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: "\(specDirectory)/\(file)"))
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

extension PluginTimeouts {
    /// Short waits for absent plugins, so that the suite stays fast; a generous reply time, so that a
    /// loaded machine does not turn slow answers into failures.
    static let fast = PluginTimeouts(
        activation: .milliseconds(400), reconnection: .milliseconds(300), reply: .seconds(20),
        backoff: Backoff(initial: .milliseconds(20), multiplier: 2, cap: .milliseconds(100), jitter: 0))
}
