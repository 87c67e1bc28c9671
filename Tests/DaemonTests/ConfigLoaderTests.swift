import Foundation
import Messages
import Testing
@testable import Daemon

@Suite struct ConfigLoaderTests {
    func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fileAndFlagsMerge() throws {
        let path = try file(#"{"labels": ["a=b"], "debug": true, "max-concurrent-downloads": 5}"#)
        let config = try ConfigLoader(path: path, pathIsExplicit: true, flags: ["data-root": .string("/tmp/x")]).load()
        #expect(config.labels == ["a=b"])
        #expect(config.debug)
        #expect(config.maxConcurrentDownloads == 5)
        #expect(config.dataRoot == "/tmp/x")
    }

    @Test func unknownKeysAreNamed() throws {
        let path = try file(#"{"no-such-key": 1, "debug": true}"#)
        #expect(throws: ConfigError.unknownKeys(["no-such-key"])) {
            try ConfigLoader(path: path, pathIsExplicit: true, flags: [:]).load()
        }
    }

    @Test func aKeyInTheFileAndAsAFlagIsAConflict() throws {
        let path = try file(#"{"debug": false}"#)
        #expect(throws: ConfigError.self) {
            try ConfigLoader(path: path, pathIsExplicit: true, flags: ["debug": .bool(true)]).load()
        }
    }

    @Test func wrongTypesAndBadValuesAreRefused() throws {
        #expect(throws: ConfigError.wrongType(key: "debug", expected: "true or false")) {
            try ConfigLoader(path: try file(#"{"debug": "yes"}"#), pathIsExplicit: true, flags: [:]).load()
        }
        #expect(throws: ConfigError.self) {
            try ConfigLoader(path: try file(#"{"log-level": "loud"}"#), pathIsExplicit: true, flags: [:]).load()
        }
        #expect(throws: ConfigError.self) {
            try ConfigLoader(path: try file(#"{"hosts": ["udp://x"]}"#), pathIsExplicit: true, flags: [:]).load()
        }
        #expect(throws: ConfigError.self) {
            try ConfigLoader(path: try file("{not json"), pathIsExplicit: true, flags: [:]).load()
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
