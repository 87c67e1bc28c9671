import Foundation
import Messages
import Testing

@testable import Plugins

@Suite struct PluginCallTests {
    @Test func activatesOnceAndCallsVolumeDriver() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let plugin = try await sandbox.startPlugin(
            "vol", implements: ["VolumeDriver"],
            routes: ["VolumeDriver.Create": { body in .json(["Err": "", "Echo": body["Name"] ?? .null]) }])
        let child = try sandbox.child()

        let first = try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Create", body: ["Name": "data", "Opts": [:]])
        let second = try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Create", body: ["Name": "more"])

        #expect(first == ["Echo": "data", "Err": ""])
        #expect(second["Echo"] == "more")
        #expect(plugin.activations == 1)
        let requests = plugin.received
        #expect(requests.map(\.method) == ["Plugin.Activate", "VolumeDriver.Create", "VolumeDriver.Create"])
        #expect(requests[0].body == [:])
        #expect(requests[1].body == ["Name": "data", "Opts": [:]])
        #expect(requests.allSatisfy { $0.headers["Accept"] == ["application/vnd.docker.plugins.v1.2+json"] })
        await plugin.stop()
    }

    @Test func reachesPluginsThroughSpecFilesOverUnixAndTCP() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let local = try await FakePlugin.start(
            at: sandbox.root + "/elsewhere.sock", implements: ["VolumeDriver"], routes: ["VolumeDriver.List": { _ in .json(["Volumes": []]) }])
        let remote = try await FakePlugin.start(
            at: nil, implements: ["VolumeDriver"], routes: ["VolumeDriver.List": { _ in .json(["Volumes": [["Name": "r"]]]) }])
        try sandbox.writeSpec("local.spec", "unix://\(sandbox.root)/elsewhere.sock")
        try sandbox.writeSpec("remote.json", #"{"Name": "remote", "Addr": "tcp://127.0.0.1:\#(remote.port ?? 0)", "TLSConfig": null}"#)
        let child = try sandbox.child()

        #expect(try await child.call(plugin: "local", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:]) == ["Volumes": []])
        #expect(try await child.call(plugin: "remote", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])["Volumes"]?.arrayValue?.count == 1)
        await local.stop()
        await remote.stop()
    }

    @Test func passesErrorsThrough() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let plugin = try await sandbox.startPlugin(
            "vol", implements: ["VolumeDriver"],
            routes: [
                "VolumeDriver.Get": { _ in .json(["Err": "no such volume"]) },
                "VolumeDriver.Remove": { _ in .json(["Err": "volume is busy"], status: 500) },
                "VolumeDriver.Mount": { _ in .text("mount failed\n", status: 500) },
            ])
        let child = try sandbox.child()

        let reply = try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Get", body: ["Name": "x"])
        #expect(reply["Err"] == "no such volume")
        await #expect(throws: EngineError(.internal, "VolumeDriver.Remove: volume is busy")) {
            try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Remove", body: ["Name": "x"])
        }
        await #expect(throws: EngineError(.internal, "VolumeDriver.Mount: mount failed")) {
            try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Mount", body: ["Name": "x"])
        }
        await #expect(throws: EngineError(.internal, "VolumeDriver.Unknown: 404 page not found")) {
            try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Unknown", body: [:])
        }
        await plugin.stop()
    }

    /// Issue 18: a plugin's answer is input like any other; one without end is cut off, not collected.
    @Test func refusesRepliesLargerThanTheLimit() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let huge = Data(count: PluginHTTPClient.maxReplySize + 1)
        let plugin = try await sandbox.startPlugin(
            "vol", implements: ["VolumeDriver"],
            routes: ["VolumeDriver.List": { _ in FakeReply(status: 200, body: huge) }, "VolumeDriver.Get": { _ in .json(["Err": ""]) }])
        let child = try sandbox.child()
        await #expect(throws: EngineError.self) {
            try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        }
        #expect(try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.Get", body: ["Name": "x"])["Err"] == "")
        await plugin.stop()
    }

    @Test func refusesKindsThePluginDoesNotImplement() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let plugin = try await sandbox.startPlugin("net", implements: ["NetworkDriver"])
        let child = try sandbox.child()
        await #expect(throws: EngineError(.notFound, "plugin net does not implement VolumeDriver (it implements NetworkDriver)")) {
            try await child.call(plugin: "net", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        }
        await plugin.stop()
    }

    @Test func anUnknownPluginIsNotFound() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let child = try sandbox.child()
        await #expect(throws: EngineError(.notFound, "plugin ghost not found")) {
            try await child.call(plugin: "ghost", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        }
    }

    @Test func waitsForAPluginThatIsStarting() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let child = try sandbox.child(timeouts: PluginTimeouts(activation: .seconds(5), backoff: PluginTimeouts.fast.backoff))
        async let reply = child.call(plugin: "late", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        let plugin = try await sandbox.startPlugin("late", implements: ["VolumeDriver"], routes: ["VolumeDriver.List": { _ in .json(["Volumes": []]) }])
        #expect(try await reply == ["Volumes": []])
        await plugin.stop()
    }
}
