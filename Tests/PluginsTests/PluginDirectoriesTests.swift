import Foundation
import Messages
import Testing

@testable import Plugins

@Suite struct PluginDirectoriesTests {
    @Test func findsSocketsInBothLayoutsAndSpecFiles() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.socketDirectory + "/nested", withIntermediateDirectories: true)
        let flat = try await FakePlugin.start(at: sandbox.socketPath("flat"), implements: [])
        let nested = try await FakePlugin.start(at: sandbox.socketDirectory + "/nested/nested.sock", implements: [])
        try sandbox.writeSpec("byspec.spec", "unix:///somewhere/else.sock\n")
        try sandbox.writeSpec("byjson.json", #"{"Name": "byjson", "Addr": "tcp://127.0.0.1:8080"}"#)
        try sandbox.writeSpec("README", "not a plugin")

        let directories = sandbox.directories
        #expect(try directories.locate("flat") == .unix(path: sandbox.socketPath("flat")))
        #expect(try directories.locate("nested") == .unix(path: sandbox.socketDirectory + "/nested/nested.sock"))
        #expect(try directories.locate("byspec") == .unix(path: "/somewhere/else.sock"))
        #expect(try directories.locate("byjson") == .tcp(host: "127.0.0.1", port: 8080))
        #expect(try directories.locate("absent") == nil)
        #expect(try directories.locate("../etc/byspec") == nil)
        #expect(directories.names() == ["byjson", "byspec", "flat", "nested"])
        await flat.stop()
        await nested.stop()
    }

    @Test func socketsComeBeforeSpecFiles() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let plugin = try await sandbox.startPlugin("both", implements: [])
        try sandbox.writeSpec("both.spec", "tcp://127.0.0.1:1")
        #expect(try sandbox.directories.locate("both") == .unix(path: sandbox.socketPath("both")))
        await plugin.stop()
    }

    @Test func missingDirectoriesHoldNoPlugins() throws {
        let directories = PluginDirectories(socketDirectories: ["/nonexistent/run"], specDirectories: ["/nonexistent/etc"])
        #expect(directories.names().isEmpty)
        #expect(try directories.locate("any") == nil)
    }

    @Test func rejectsTLSAndUnknownAddresses() throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        try sandbox.writeSpec("secure.json", #"{"Name": "secure", "Addr": "tcp://10.0.0.1:443", "TLSConfig": {"CAFile": "/ca.pem"}}"#)
        try sandbox.writeSpec("odd.spec", "ftp://host/plugin")
        #expect { try sandbox.directories.locate("secure") } throws: { ($0 as? EngineError)?.code == .notImplemented }
        #expect { try sandbox.directories.locate("odd") } throws: { ($0 as? EngineError)?.code == .invalidArgument }
    }

    @Test func parsesSpecAddresses() {
        #expect(PluginAddress(url: "unix:///run/docker/plugins/x.sock") == .unix(path: "/run/docker/plugins/x.sock"))
        #expect(PluginAddress(url: "tcp://localhost:8080") == .tcp(host: "localhost", port: 8080))
        #expect(PluginAddress(url: "http://[::1]:9000") == .tcp(host: "::1", port: 9000))
        #expect(PluginAddress(url: "tcp://localhost") == nil)
        #expect(PluginAddress(url: "/run/x.sock") == nil)
        #expect(PluginAddress.tcp(host: "::1", port: 9000).description == "tcp://[::1]:9000")
    }
}
