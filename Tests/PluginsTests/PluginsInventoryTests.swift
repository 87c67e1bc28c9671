import Foundation
import Messages
import Testing

@testable import Plugins

@Suite struct PluginsInventoryTests {
    @Test func builtInDriversAreListed() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plugins-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = DaemonConfig()
        config.dataRoot = root
        let child = try PluginsChild(config: config, configStore: ConfigStore(config))
        let inventory = try await child.inventory()
        #expect(inventory.volume.contains("local"))
    }
}
