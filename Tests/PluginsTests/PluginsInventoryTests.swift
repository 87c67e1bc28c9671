import Foundation
import Messages
import Testing

@testable import Plugins

@Suite struct PluginsInventoryTests {
    @Test func listsBuiltInDriversWithoutPlugins() async throws {
        var config = DaemonConfig()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plugins-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        config.dataRoot = root
        config.pluginSocketDirs = [root + "/missing"]
        let child = try PluginsChild(config: config, configStore: ConfigStore(config))
        let inventory = try await child.inventory()
        #expect(inventory == PluginInventory(volume: ["local"], network: ["bridge", "host", "null"], authorization: [], log: ["json-file", "local", "none"]))
        #expect(try await child.plugins(implementing: "VolumeDriver").isEmpty)
    }

    @Test func listsActivatedVolumeDriversAcrossIncarnations() async throws {
        let sandbox = try PluginsSandbox(authorizationPlugins: ["gate"])
        defer { sandbox.remove() }
        let volume = try await sandbox.startPlugin("vol", implements: ["VolumeDriver"])
        let gate = try await sandbox.startPlugin("gate", implements: ["authz"])
        try sandbox.writeSpec("gone.spec", "unix://\(sandbox.root)/nobody.sock")

        #expect(try await sandbox.child().plugins(implementing: "VolumeDriver") == ["vol"])
        #expect(try await sandbox.child().plugins(implementing: "authz") == ["gate"])

        let inventory = try await sandbox.child().inventory()
        #expect(inventory.volume == ["local", "vol"])
        #expect(inventory.authorization == ["gate"])
        await volume.stop()
        await gate.stop()
    }
}
