import Testing
@testable import Supervision

/// Requests to a restarting child wait for its next incarnation, up to the tree's `restartWait`.
@Suite(.timeLimit(.minutes(1))) struct RestartWaitTests {
    @Test func requestWaitsForTheNextIncarnationAndIsAnswered() async throws {
        let clock = VirtualClock()
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "a")
        await events.next { if case .restartScheduled = $0 { true } else { false } }
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        let reply = Task { try await ref.ask { await $0.echo(9) } }
        await clock.waitForSleepers(2)  // the backoff and the request's wait
        clock.advance(by: .milliseconds(100))
        #expect(try await reply.value == 9)
        #expect(await supervisor.snapshot().children[0].incarnation == 2)
        try await supervisor.shutdown()
    }

    @Test func requestWaitsWhileACrashedIncarnationStopsThenFailsNamingTheChild() async throws {
        let clock = VirtualClock()
        let release = OneShot<Void>()
        let supervisor = Supervisor(
            name: "root", children: [.scripted("a", journal: Journal(), ignoresStop: release)], clock: clock,
            restartWait: .seconds(2))
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "a")
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        let reply = Task { try await ref.ask { await $0.echo(1) } }
        await clock.waitForSleepers(2)  // the crash's stop budget and the request's wait
        #expect(clock.pendingDelays == [.seconds(2), .seconds(5)])
        clock.advance(by: .seconds(2))
        await #expect(throws: SupervisionError.notBack(child: "a", state: .stopping, waited: .seconds(2))) { try await reply.value }
        #expect(SupervisionError.notBack(child: "a", state: .stopping, waited: .seconds(2)).description
            == "a is stopping and did not come back within 2.0 s")
        release.fulfill(())
        try? await supervisor.shutdown()
    }

    @Test func secondCrashOfTheSameIncarnationIsRefused() async throws {
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: VirtualClock(), random: { 0 })
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "a")
        await #expect(throws: SupervisionError.unavailable(child: "a", state: .stopping, retryAfter: nil)) {
            try await supervisor.inject(.crash, into: "a")
        }
        try await supervisor.shutdown()
    }
}

/// A child that declares itself ready and fails at once, as a containerd that dies right after its
/// first health check might.
struct ReadyThenFailingChild: SupervisedChild {
    func run(_ context: ChildContext) async throws {
        context.ready()
        throw TestFailure(message: "failed right after readiness")
    }
}

/// Whether `condition` holds within a few thousand turns of the scheduler (no time passes on the
/// virtual clock meanwhile).
func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<5_000 {
        if await condition() { return true }
        await Task.yield()
    }
    return false
}

@Suite(.timeLimit(.minutes(1))) struct StaleStateTests {
    /// An incarnation that ends between its readiness and its supervisor's next step must be restarted,
    /// never left in a cell that says it is running.
    @Test func incarnationEndingRightAfterReadinessIsRestarted() async throws {
        let clock = VirtualClock()
        let journal = Journal()
        let spec = ChildSpec(name: "containerd") { context -> any SupervisedChild in
            context.incarnation == 2
                ? ReadyThenFailingChild() : ScriptedChild(name: "containerd", journal: journal)
        }
        let supervisor = Supervisor(name: "root", children: [spec], clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "containerd")
        await events.next { $0 == .restartScheduled(child: "containerd", attempt: 1, delay: .milliseconds(100)) }
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(100))
        // Incarnation 2 fails right after its readiness: a second restart is scheduled for it (before the
        // fix, the cell said running with the dead incarnation, for ever).
        let rescheduled = await eventually {
            let child = await supervisor.snapshot().children[0]
            return child.incarnation == 2 && child.state == .restarting
        }
        #expect(rescheduled)
        guard rescheduled else { return }
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(200))
        await events.next { $0 == .started(child: "containerd", incarnation: 3) }
        let ref = supervisor.ref(to: "containerd", as: ScriptedChild.self)
        #expect(try await ref.ask { await $0.echo(3) } == 3)
        try await supervisor.shutdown()
    }

    /// A stop that comes while a restart's factory runs: the new incarnation never runs.
    @Test func stopDuringARestartsFactoryLeavesNoIncarnationRunning() async throws {
        let clock = VirtualClock()
        let journal = Journal()
        let factoryGate = OneShot<Void>()
        let inFactory = OneShot<Void>()
        let spec = ChildSpec(name: "a") { context -> any SupervisedChild in
            if context.incarnation == 2 {
                inFactory.fulfill(())
                _ = await factoryGate.wait()
            }
            return ScriptedChild(name: "a", journal: journal)
        }
        let supervisor = Supervisor(name: "root", children: [spec], clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "a")
        await events.next { if case .restartScheduled = $0 { true } else { false } }
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(100))
        _ = await inFactory.wait()
        try await supervisor.shutdown()
        factoryGate.fulfill(())
        for _ in 0..<200 { await Task.yield() }
        #expect(journal.entries == ["start a #1", "stop a"])
        #expect(await supervisor.snapshot().children[0].state == .stopped)
    }
}
