import BerthTestSupport
import Foundation
import Glibc
import Messages
import Supervision
import Testing

@testable import Containers

/// What a cut start leaves in containerd (a task, its shim and process) goes when the container is
/// removed or the next incarnation starts.
@Suite struct ContainersChildLeftoverTests {
    typealias Fixture = ContainersChildStartTests.Fixture

    /// A created container for which containerd still has a running task.
    private func containerWithLiveTask() async throws -> (Fixture, String) {
        let fixture = try Fixture()
        try await fixture.tree.supervisor.start()
        let id = try await fixture.create()
        fixture.tree.containerd.script.on("task", .value(TaskInfo(id: id, pid: 77, status: .running, exit: nil) as TaskInfo?))
        return (fixture, id)
    }

    /// A container whose start was cut still has a live task: `docker rm -f` kills it, waits for it
    /// when containerd will not delete it yet, deletes it, and only then deletes the container.
    @Test func removingAContainerEndsTheTaskItsCutStartLeft() async throws {
        let (fixture, id) = try await containerWithLiveTask()
        let containerd = fixture.tree.containerd.script
        containerd.on("deleteTask", .failure(EngineError.internal("cannot delete a running process")), .value(TaskExit?.none))
        containerd.on("waitTask", .value(TaskExit(status: 137, exitedAtNano: 1)))
        try await fixture.containers.ask { try await $0.remove(id, force: true, volumes: false) }
        let order = containerd.calls.map(\.method).filter { ["killTask", "waitTask", "deleteTask", "deleteContainer"].contains($0) }
        #expect(order == ["killTask", "deleteTask", "waitTask", "deleteTask", "deleteContainer"])
        #expect(containerd.calls(to: "killTask").first?.arguments == [id, "nil", "\(SIGKILL)", "true"])
        try await fixture.tearDown()
    }

    /// containerd cannot delete the task: the removal fails, and the container stays (marked for
    /// removal, finished by the next incarnation) instead of leaving its task behind unowned.
    @Test func aTaskThatCannotBeDeletedKeepsTheContainer() async throws {
        let (fixture, id) = try await containerWithLiveTask()
        let containerd = fixture.tree.containerd.script
        containerd.on("deleteTask", .failure(EngineError.internal("cannot delete a running process")))
        containerd.on("waitTask", .failure(EngineError.internal("wait failed")))
        await #expect(throws: (any Error).self) { try await fixture.containers.ask { try await $0.remove(id, force: true, volumes: false) } }
        #expect(containerd.calls(to: "deleteContainer").isEmpty)
        #expect(try await fixture.state(id).status == .removing)
        try await fixture.tearDown()
    }

    /// At start, a task no container owns is killed and deleted with its containerd container, and
    /// the task of a container that is not running (its start was cut) is ended too.
    @Test func reconcileEndsOrphanTasksAndTheTasksOfCutStarts() async throws {
        let first = try Fixture()
        try await first.tree.supervisor.start()
        let id = try await first.create()
        try await first.tree.supervisor.shutdown()

        let fixture = try Fixture(earlierRoot: first.root)
        let orphan = String(repeating: "f", count: 64)
        fixture.tree.containerd.script.on(
            "tasks", .value([TaskInfo(id: orphan, pid: 88, status: .running, exit: nil), TaskInfo(id: id, pid: 77, status: .created, exit: nil)]))
        try await fixture.tree.supervisor.start()
        let containerd = fixture.tree.containerd.script
        #expect(Set(containerd.calls(to: "killTask").compactMap(\.arguments.first)) == [orphan, id])
        #expect(Set(containerd.calls(to: "deleteTask").compactMap(\.arguments.first)) == [orphan, id])
        #expect(containerd.calls(to: "deleteContainer").map(\.arguments) == [[orphan]])
        #expect(try await fixture.state(id).status == .created)
        try await fixture.tearDown()
    }
}
