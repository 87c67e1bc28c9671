import BerthTestSupport
import Foundation
import Messages
import Supervision
import Testing

@testable import Containers

/// The `containers` child among fakes of its siblings, on the virtual clock: no root, no containerd.
@Suite struct ContainersChildStartTests {
    /// A tree of a real `containers` child on a fresh data root and exec root, its siblings scripted to
    /// create and start a container of an image `busybox` on the default bridge.
    struct Fixture {
        let tree: FakeTree
        let containers: ChildRef<any ContainersService>
        let root: String

        /// `earlierRoot`: the data and exec roots of an earlier fixture, to start on its records.
        init(earlierRoot: String? = nil) throws {
            root = earlierRoot ?? FileManager.default.temporaryDirectory.appendingPathComponent("berth-containers-\(UUID().uuidString)").path
            var config = DaemonConfig()
            config.dataRoot = root + "/data"
            config.execRoot = root + "/run"
            try FileManager.default.createDirectory(atPath: config.dataRoot, withIntermediateDirectories: true)
            let (events, settings) = (FakeEvents(), config)
            tree = FakeTree(real: [
                ChildSpec(.containers, siblings: ContainersSiblings.self) { _, subsystems in
                    try ContainersChild(config: settings, subsystems: subsystems, events: events)
                }
            ])
            containers = tree.ref(to: .containers)
            var image = ContainerConfig()
            image.Cmd = ["sh"]
            tree.images.script.on("containerImage", .value(ContainerImage(id: "sha256:" + String(repeating: "b", count: 64), config: image, topChainID: nil)))
            tree.graphdriver.script.on("status", .value(StorageDriverStatus(driver: "overlayfs", details: [])))
            tree.network.script.on("network", .value(NetworkDescription(Name: "bridge", Id: "n1", Created: "", Driver: "bridge", IPAM: IPAMSettings())))
            tree.network.script.on("attach", .value(Sandbox(path: root + "/netns", endpoints: [], ports: [:], nameserver: nil)))
        }

        func create() async throws -> String {
            var config = ContainerConfig()
            config.Image = "busybox"
            let request = ContainerCreateRequest(name: "web", config: config, hostConfig: HostConfig(), networkingConfig: nil)
            return try await containers.ask { try await $0.create(request) }.id
        }

        func state(_ id: String) async throws -> ContainerState {
            try await containers.ask { try await $0.inspect(id) }.state
        }

        func tearDown() async throws {
            try await tree.supervisor.shutdown()
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    @Test func startsAContainerThroughItsSiblings() async throws {
        let fixture = try Fixture()
        fixture.tree.containerd.script.on("createTask", .value(4242))
        try await fixture.tree.supervisor.start()
        let id = try await fixture.create()
        try await fixture.containers.ask { try await $0.start(id, detachKeys: nil) }
        let state = try await fixture.state(id)
        #expect(state.status == .running)
        #expect(state.pid == 4242)
        #expect(fixture.tree.graphdriver.script.calls(to: "mountContainerLayer").map(\.arguments.first) == [id])
        #expect(fixture.tree.containerd.script.calls(to: "startTask").map(\.arguments) == [[id, "nil"]])
        try await fixture.tearDown()
    }

    /// containerd fails while it creates the task: the start fails and is undone (sandbox released, root
    /// unmounted, container exited with the error), and once containerd is back the container starts.
    @Test func aRestartOfContainerdInTheMiddleOfAStartIsUndoneAndTheNextStartWorks() async throws {
        let fixture = try Fixture()
        fixture.tree.containerd.script.on("createTask", .crash, .value(4242))
        try await fixture.tree.supervisor.start()
        let id = try await fixture.create()

        // The start runs on while containerd waits out its backoff (100 ms on the virtual clock): undoing
        // it may ask containerd again, and the time passes only when the test says so.
        let failedStart = Task { try await fixture.containers.ask { try await $0.start(id, detachKeys: nil) } }
        await fixture.tree.events.wait(for: .restartScheduled(child: "containerd", attempt: 1, delay: .milliseconds(100)))
        await fixture.tree.advance(pastSleepOf: .milliseconds(100))
        await fixture.tree.events.wait(for: .started(child: "containerd", incarnation: 2))
        await #expect(throws: EngineError.self) { try await failedStart.value }
        let failed = try await fixture.state(id)
        #expect(failed.status == .exited)
        #expect(failed.exitCode == 128)
        #expect(failed.error.contains("containerd"))
        #expect(fixture.tree.network.script.calls(to: "detach").map(\.arguments) == [[id]])
        #expect(fixture.tree.graphdriver.script.calls(to: "unmount").count == 1)

        try await fixture.containers.ask { try await $0.start(id, detachKeys: nil) }
        let started = try await fixture.state(id)
        #expect(started.status == .running)
        #expect(started.pid == 4242)
        #expect(await fixture.tree.supervisor.snapshot().children.first { $0.name == "containerd" }?.incarnation == 2)
        try await fixture.tearDown()
    }
}
