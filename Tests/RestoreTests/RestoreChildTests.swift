import BerthTestSupport
import Messages
import Restore
import Supervision
import Testing

/// The `restore` child among fakes of its siblings, on the virtual clock.
@Suite struct RestoreChildTests {
    static let restore = ChildSpec(.restore, siblings: RestoreSiblings.self, restart: .transient) { _, subsystems in
        RestoreChild(subsystems: subsystems)
    }

    static func scriptedTree() -> FakeTree {
        let tree = FakeTree(real: [restore])
        tree.containers.script.on("counts", .value(ContainerCounts(running: 1, paused: 0, stopped: 2)))
        tree.containers.script.on("runningIDs", .value(Set(["c1"])))
        tree.containers.script.on("restoreAtBoot", .value(2))
        tree.network.script.on("releaseSandboxes", .value(1))
        return tree
    }

    @Test func releasesWhatStoppedContainersHeldBeforeStartingThoseThatMustRun() async throws {
        let tree = Self.scriptedTree()
        try await tree.supervisor.start()
        #expect(
            tree.log.calls == [
                "containers.counts", "containers.runningIDs", "network.releaseSandboxes", "volumes.releaseMounts",
                "containers.restoreAtBoot",
            ])
        #expect(tree.network.script.calls(to: "releaseSandboxes").map(\.arguments) == [[#"["c1"]"#]])
        #expect(tree.volumes.script.calls(to: "releaseMounts").map(\.arguments) == [[#"["c1"]"#]])
        let restore = try #require(await tree.supervisor.snapshot().children.first { $0.name == "restore" })
        #expect(restore.state == .completed)
        #expect(restore.info == ["containersFound": "3", "containersRestarted": "2", "sandboxesReleased": "1"])
        #expect(restore.requires == ["volumes", "containers", "network"])
        try await tree.supervisor.shutdown()
    }

    @Test func theBootWaitsForASlowRestoreOnTheClock() async throws {
        let tree = Self.scriptedTree()
        tree.containers.script.on("restoreAtBoot", .after(.seconds(10), .value(2)))
        let boot = Task { try await tree.supervisor.start() }
        await tree.containers.script.waitForCall(to: "restoreAtBoot")
        #expect(await tree.supervisor.snapshot().children.first { $0.name == "restore" }?.state == .starting)
        await tree.advance(pastSleepOf: .seconds(10))
        try await boot.value
        #expect(await tree.supervisor.snapshot().children.first { $0.name == "restore" }?.state == .completed)
        try await tree.supervisor.shutdown()
    }

    /// What berthd does today when `containers` restarts while `restore` waits on it: restore's start
    /// fails, which fails the boot (berthd exits with status 1 and systemd starts it again).
    @Test func aRestartOfContainersInTheMiddleOfRestoringFailsTheBoot() async throws {
        let tree = Self.scriptedTree()
        tree.containers.script.on("restoreAtBoot", .crash)
        await #expect(throws: SupervisionError.bootFailed(child: "restore", reason: "containers stopped while handling the request")) {
            try await tree.supervisor.start()
        }
        #expect(await tree.supervisor.snapshot().children.map(\.state).filter { $0 == .running }.isEmpty)
    }
}
