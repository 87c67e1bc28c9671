import Foundation
import Messages
import Synchronization
import Testing

@testable import Plugins

@Suite struct PluginAvailabilityTests {
    /// A plugin that exits removes its socket; one that crashes leaves it, and connecting is refused.
    @Test(arguments: [false, true]) func aPluginThatRestartsIsActivatedAgain(crashes: Bool) async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let routes: [String: FakePlugin.Route] = ["VolumeDriver.List": { _ in .json(["Volumes": []]) }]
        let child = try sandbox.child()
        let first = try await sandbox.startPlugin("vol", implements: ["VolumeDriver"], routes: routes)
        _ = try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        await first.stop()
        if crashes { try leaveStaleSocket(at: sandbox.socketPath("vol")) }

        let error = await #expect(throws: EngineError.self) {
            try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:])
        }
        #expect(error?.code == .unavailable && error?.message.hasPrefix("plugin vol is not available: ") == true)

        let second = try await sandbox.startPlugin("vol", implements: ["VolumeDriver"], routes: routes)
        #expect(try await child.call(plugin: "vol", kind: "VolumeDriver", method: "VolumeDriver.List", body: [:]) == ["Volumes": []])
        #expect(second.activations == 1)
        await second.stop()
    }

    @Test func aHungPluginTimesOutWithoutHoldingUpOthers() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let hung = try await sandbox.startPlugin(
            "hung", implements: ["VolumeDriver"],
            routes: [
                "VolumeDriver.Get": { _ in
                    enteredSignal.yield()
                    try await Task.sleep(for: .seconds(60))
                    return .json([:])
                }
            ])
        let healthy = try await sandbox.startPlugin("healthy", implements: ["VolumeDriver"], routes: ["VolumeDriver.Get": { _ in .json(["Volume": ["Name": "v"]]) }])
        // 10 s, not 5: on a loaded two-core CI machine the healthy plugin's first call (its activation
        // and reply) once took longer than 5 s while the whole unit suite ran in parallel.
        let child = try sandbox.child(timeouts: PluginTimeouts(reply: .seconds(10), backoff: PluginTimeouts.fast.backoff))
        let hungCallFinished = Mutex(false)

        async let hungCall: Void = {
            defer { hungCallFinished.withLock { $0 = true } }
            await #expect(throws: EngineError(.unavailable, "plugin hung did not answer VolumeDriver.Get within 10.0 seconds")) {
                try await child.call(plugin: "hung", kind: "VolumeDriver", method: "VolumeDriver.Get", body: ["Name": "v"])
            }
        }()
        for await _ in entered { break }
        let reply = try await child.call(plugin: "healthy", kind: "VolumeDriver", method: "VolumeDriver.Get", body: ["Name": "v"])
        #expect(reply["Volume"]?["Name"] == "v")
        #expect(hungCallFinished.withLock { $0 } == false)
        await hungCall
        await hung.stop()
        await healthy.stop()
    }
}
