import Foundation
import Logging
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

@Suite struct ListenerSecurityTests {
    func load(_ json: String, flags: [String: ConfigValue] = [:]) throws -> DaemonConfig {
        try ConfigLoaderTests().load(json, flags: flags)
    }

    @Test func anUnauthenticatedListenerOtherHostsReachIsRefused() throws {
        #expect(throws: ConfigError.unauthenticatedListener("tcp://0.0.0.0:2375")) {
            try load(#"{"hosts": ["tcp://0.0.0.0:2375"]}"#)
        }
        #expect(throws: ConfigError.unauthenticatedListener("tcp://10.0.0.1:2375")) {
            try load(#"{"hosts": ["tcp://10.0.0.1:2375"]}"#, flags: ["tlscert": .string("/c.pem")])
        }
    }

    @Test func loopbackVerifiedOrExplicitlyUnauthenticatedListenersAreAllowed() throws {
        _ = try load(#"{"hosts": ["tcp://127.0.0.1:2375", "tcp://localhost:2376", "tcp://[::1]:2377"]}"#)
        let verified = try load(#"{"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true}"#)
        #expect(verified.usesTLS && verified.verifiesClients)
        let optedOut = try load(#"{"hosts": ["tcp://0.0.0.0:2375"]}"#, flags: ["tls": .bool(false)])
        #expect(!optedOut.usesTLS && optedOut.choseTLSExplicitly)
    }

    @Test func tlsverifyGivenAtAllTurnsTLSOn() throws {
        let config = try load(#"{"tlsverify": false}"#)
        #expect(config.usesTLS && !config.verifiesClients)
        let plain = try load("{}")
        #expect(!plain.usesTLS && !plain.choseTLSExplicitly && plain.group == nil)
    }

    @Test func goStyleBooleanFlagsAreRead() throws {
        #expect(DaemonCommand.dockerStyle(["--tls=false", "--tlsverify=1", "-H", "tcp://x:1", "--tls=maybe"])
            == ["--no-tls", "--tlsverify", "-H", "tcp://x:1", "--tls=maybe"])
        let command = try DaemonCommand.parse(DaemonCommand.dockerStyle(["--tls=false", "-G", "wheel", "--api-max-connections", "5"]))
        #expect(command.flagValues["tls"] == .bool(false))
        #expect(command.flagValues["group"] == .string("wheel"))
        #expect(command.flagValues["api-max-connections"] == .int(5))
        #expect(command.flagValues["tlsverify"] == nil)
    }

    @Test func limitsMustBePositiveAndBounded() throws {
        #expect(throws: ConfigError.self) { try load(#"{"api-max-connections": 0}"#) }
        #expect(throws: ConfigError.self) { try load(#"{"api-read-header-timeout": 99999999999}"#) }
    }

    @Test func theGroupIsResolvedAsDockerdDoes() throws {
        let logger = Logger(label: "test")
        #expect(try ListenerSetup.group("", logger: logger) == nil)
        #expect(try ListenerSetup.group("root", logger: logger) == 0)
        #expect(try ListenerSetup.group("4242", logger: logger) == 4242)
        #expect(throws: ConfigError.invalid(key: "group", reason: "group no-such-group-here not found")) {
            try ListenerSetup.group("no-such-group-here", logger: logger)
        }
        #expect(ListenerSetup.certificateDirectory(["HOME": "/home/x"]) == "/home/x/.docker")
        #expect(ListenerSetup.certificateDirectory(["HOME": "/home/x", "DOCKER_CERT_PATH": "/certs"]) == "/certs")
    }
}
