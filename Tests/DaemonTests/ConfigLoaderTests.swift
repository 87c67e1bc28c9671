import Foundation
import Messages
import Testing
@testable import Daemon

@Suite struct ConfigLoaderTests {
    /// Loads `json` as a daemon.json with these flags; the file is removed again.
    func load(_ json: String, flags: [String: ConfigValue] = [:]) throws -> DaemonConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ConfigLoader(path: path, pathIsExplicit: true, flags: flags).load()
    }

    @Test func fileAndFlagsMerge() throws {
        let config = try load(#"{"labels": ["a=b"], "debug": true, "max-concurrent-downloads": 5}"#, flags: ["data-root": .string("/tmp/x")])
        #expect(config.labels == ["a=b"])
        #expect(config.debug)
        #expect(config.maxConcurrentDownloads == 5)
        #expect(config.dataRoot == "/tmp/x")
    }

    @Test func networkBoundaryKeysAreRead() throws {
        let defaults = try load("{}")
        #expect(defaults.icc && !defaults.ipForwardNoDrop)
        let config = try load(#"{"icc": false, "ip-forward-no-drop": true}"#)
        #expect(!config.icc && config.ipForwardNoDrop)
        let flagged = try DaemonCommand.parse(["--icc=false", "--ip-forward-no-drop"]).flagValues
        #expect(flagged["icc"] == .bool(false) && flagged["ip-forward-no-drop"] == .bool(true))
    }

    @Test func unknownKeysAreNamed() throws {
        #expect(throws: ConfigError.unknownKeys(["no-such-key"])) { try load(#"{"no-such-key": 1, "debug": true}"#) }
    }

    @Test func aKeyInTheFileAndAsAFlagIsAConflict() throws {
        #expect(throws: ConfigError.self) { try load(#"{"debug": false}"#, flags: ["debug": .bool(true)]) }
    }

    @Test func wrongTypesAndBadValuesAreRefused() throws {
        #expect(throws: ConfigError.wrongType(key: "debug", expected: "true or false")) {
            try load(#"{"debug": "yes"}"#)
        }
        #expect(throws: ConfigError.self) {
            try load(#"{"log-level": "loud"}"#)
        }
        #expect(throws: ConfigError.self) {
            try load(#"{"hosts": ["udp://x"]}"#)
        }
        #expect(throws: ConfigError.self) {
            try load("{not json")
        }
    }

    @Test func missingDefaultFileIsFineButAMissingNamedFileIsNot() throws {
        #expect(throws: Never.self) { try ConfigLoader(path: "/nonexistent/daemon.json", pathIsExplicit: false, flags: [:]).load() }
        #expect(throws: ConfigError.self) { try ConfigLoader(path: "/nonexistent/daemon.json", pathIsExplicit: true, flags: [:]).load() }
    }

    @Test func changedKeysTellReloadableFromRestartOnly() {
        var new = DaemonConfig()
        new.labels = ["x=y"]
        new.dataRoot = "/elsewhere"
        let changed = ConfigKey.changed(from: DaemonConfig(), to: new)
        #expect(changed.map(\.name) == ["data-root", "labels"])
        #expect(changed.map(\.reloadable) == [false, true])
    }
}
