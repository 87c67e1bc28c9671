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

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("berth-containers-\(UUID().uuidString)").path
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

        /// Waits (without time passing) until the supervisor reports `child` in `state`.
        func waitUntil(_ child: ChildName, is state: ChildState) async throws {
            for _ in 0..<100_000 {
                if await tree.supervisor.snapshot().children.first(where: { $0.name == child.rawValue })?.state == state { return }
                await Task.yield()
            }
            Issue.record("\(child) never became \(state)")
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

        await #expect(throws: EngineError.self) { try await fixture.containers.ask { try await $0.start(id, detachKeys: nil) } }
        let failed = try await fixture.state(id)
        #expect(failed.status == .exited)
        #expect(failed.exitCode == 128)
        #expect(failed.error.contains("containerd"))
        #expect(fixture.tree.network.script.calls(to: "detach").map(\.arguments) == [[id]])
        #expect(fixture.tree.graphdriver.script.calls(to: "unmount").count == 1)

        try await fixture.waitUntil(.containerd, is: .restarting)
        fixture.tree.clock.advance(by: .milliseconds(100))
        try await fixture.waitUntil(.containerd, is: .running)
        try await fixture.containers.ask { try await $0.start(id, detachKeys: nil) }
        let started = try await fixture.state(id)
        #expect(started.status == .running)
        #expect(started.pid == 4242)
        #expect(await fixture.tree.supervisor.snapshot().children.first { $0.name == "containerd" }?.incarnation == 2)
        try await fixture.tearDown()
    }
}
