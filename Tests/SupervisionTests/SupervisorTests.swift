import Testing
@testable import Supervision

@Suite struct SupervisorStartTests {
    @Test func startsChildrenInOrderEachAfterThePreviousIsReady() async throws {
        let journal = Journal()
        let gate = OneShot<Void>()
        let supervisor = Supervisor(
            name: "root",
            children: [.scripted("a", journal: journal, readyGate: gate), .scripted("b", journal: journal)],
            clock: VirtualClock())
        let started = Task { try await supervisor.start() }
        while journal.entries.isEmpty { await Task.yield() }
        for _ in 0..<50 { await Task.yield() }
        #expect(journal.entries == ["start a #1"])
        gate.fulfill(())
        try await started.value
        #expect(journal.entries == ["start a #1", "start b #1"])
        #expect(await supervisor.snapshot().children.map(\.state) == [.running, .running])
        try await supervisor.shutdown()
        #expect(journal.entries.suffix(2) == ["stop b", "stop a"])
    }

    @Test func bootFailureStopsStartedChildrenInReverseAndNamesTheChild() async throws {
        let journal = Journal()
        let supervisor = Supervisor(
            name: "root",
            children: [
                .scripted("a", journal: journal), .scripted("b", journal: journal),
                .scripted("c", journal: journal, failOnStart: true), .scripted("d", journal: journal),
            ],
            clock: VirtualClock())
        await #expect(throws: SupervisionError.bootFailed(child: "c", reason: "c cannot start")) {
            try await supervisor.start()
        }
        #expect(journal.entries == ["start a #1", "start b #1", "start c #1", "stop b", "stop a"])
        let error = await supervisor.terminated()
        #expect(error == .bootFailed(child: "c", reason: "c cannot start"))
        #expect(await supervisor.snapshot().children.map(\.state) == [.stopped, .stopped, .failed, .idle])
    }

    @Test func startTimeoutFailsTheBoot() async throws {
        let clock = VirtualClock()
        let never = OneShot<Void>()
        let spec = ChildSpec(name: "slow", startTimeout: .seconds(3)) { _ in
            ScriptedChild(name: "slow", journal: Journal(), readyGate: never)
        }
        let supervisor = Supervisor(name: "root", children: [spec], clock: clock)
        let started = Task { try await supervisor.start() }
        await clock.waitForSleepers(1)
        #expect(clock.pendingDelays == [.seconds(3)])
        clock.advance(by: .seconds(3))
        await #expect(throws: SupervisionError.self) { try await started.value }
    }

    @Test func transientChildCompletesAndTheNextOneStarts() async throws {
        let journal = Journal()
        let once = ChildSpec(name: "restore", restart: .transient) { _ in OneTimeChild(journal: journal) }
        let supervisor = Supervisor(name: "root", children: [once, .scripted("api", journal: journal)], clock: VirtualClock())
        try await supervisor.start()
        #expect(journal.entries == ["restore done", "start api #1"])
        #expect(await supervisor.snapshot().children.map(\.state) == [.completed, .running])
        try await supervisor.shutdown()
    }
}

actor OneTimeChild: SupervisedChild {
    let journal: Journal
    init(journal: Journal) { self.journal = journal }
    func run(_ context: ChildContext) async throws { journal.record("restore done") }
}

@Suite struct SupervisorRestartTests {
    @Test func crashedChildComesBackAfterBackoffWithANewIncarnation() async throws {
        let clock = VirtualClock()
        let journal = Journal()
        let supervisor = Supervisor(name: "root", children: [.scripted("images", journal: journal)], clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "images")
        let scheduled = await events.next { if case .restartScheduled = $0 { true } else { false } }
        #expect(scheduled == .restartScheduled(child: "images", attempt: 1, delay: .milliseconds(100)))
        let restarting = await supervisor.snapshot().children[0]
        #expect(restarting.state == .restarting)
        #expect(restarting.retryInMs == 100)
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(100))
        await events.next { $0 == .started(child: "images", incarnation: 2) }
        let child = await supervisor.snapshot().children[0]
        #expect(child.state == .running)
        #expect(child.restarts == 1)
        #expect(child.incarnation == 2)
        try await supervisor.shutdown()
    }

    @Test func failedStartsBackOffExponentiallyAndResetAfterAStablePeriod() async throws {
        let clock = VirtualClock()
        let supervisor = Supervisor(name: "root", children: [.scripted("net", journal: Journal())], clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.failStart(count: 3), into: "net")
        try await supervisor.inject(.crash, into: "net")
        var delays: [Duration] = []
        for _ in 0..<4 {
            guard case .restartScheduled(_, _, let delay) = await events.next(where: { if case .restartScheduled = $0 { true } else { false } })
            else { Issue.record("no restart"); return }
            delays.append(delay)
            await clock.waitForSleepers(1)
            clock.advance(by: delay)
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        await events.next { $0 == .started(child: "net", incarnation: 5) }
        // Stable for the reset period: the next failure starts a new streak.
        clock.advance(by: .seconds(30))
        try await supervisor.inject(.crash, into: "net")
        let next = await events.next { if case .restartScheduled = $0 { true } else { false } }
        #expect(next == .restartScheduled(child: "net", attempt: 1, delay: .milliseconds(100)))
        try await supervisor.shutdown()
    }

    @Test func exceedingTheIntensityStopsTheTreeWithAnError() async throws {
        let clock = VirtualClock()
        let journal = Journal()
        let limit = RestartIntensity(maxRestarts: 2, period: .seconds(60))
        let supervisor = Supervisor(
            name: "root",
            children: [.scripted("a", journal: journal), .scripted("b", journal: journal, intensity: limit)],
            clock: clock, random: { 0 })
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.failStart(count: 10), into: "b")
        try await supervisor.inject(.crash, into: "b")
        for _ in 0..<2 {
            guard case .restartScheduled(_, _, let delay) = await events.next(where: { if case .restartScheduled = $0 { true } else { false } })
            else { Issue.record("no restart"); return }
            await clock.waitForSleepers(1)
            clock.advance(by: delay)
        }
        let error = await supervisor.terminated()
        #expect(error == .intensityExceeded(child: "b", restarts: 2, period: .seconds(60)))
        #expect(journal.entries.last == "stop a")
        #expect(await supervisor.treeState == .failed)
    }

    @Test func temporaryChildIsNotRestarted() async throws {
        let supervisor = Supervisor(
            name: "root", children: [.scripted("t", journal: Journal(), restart: .temporary)], clock: VirtualClock())
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "t")
        await events.next { if case .failed = $0 { true } else { false } }
        // A crash of a temporary child is still a failure the tree reports, without a restart; requests
        // are not kept waiting for it (no time passes on the clock).
        #expect(await eventually { await supervisor.snapshot().children[0].state == .failed })
        await #expect(throws: SupervisionError.unavailable(child: "t", state: .failed, retryAfter: nil)) {
            try await supervisor.ref(to: "t", as: ScriptedChild.self).ask { await $0.echo(1) }
        }
        try await supervisor.shutdown()
    }
}

@Suite struct SupervisorStopTests {
    @Test func stopsInReverseStartOrder() async throws {
        let journal = Journal()
        let names = ["containerd", "plugins", "volumes", "api"]
        let supervisor = Supervisor(name: "root", children: names.map { .scripted($0, journal: journal) }, clock: VirtualClock())
        try await supervisor.start()
        try await supervisor.shutdown()
        #expect(journal.entries.filter { $0.hasPrefix("stop") } == names.reversed().map { "stop \($0)" })
        #expect(await supervisor.terminated() == nil)
        #expect(await supervisor.snapshot().children.allSatisfy { $0.state == .stopped })
    }

    @Test func childIgnoringItsBudgetIsReportedStuckAndTheOthersStillStop() async throws {
        let clock = VirtualClock()
        let journal = Journal()
        let release = OneShot<Void>()
        let supervisor = Supervisor(
            name: "root",
            children: [.scripted("a", journal: journal), .scripted("stubborn", journal: journal, ignoresStop: release)],
            clock: clock)
        try await supervisor.start()
        let stopping = Task { try await supervisor.shutdown() }
        await clock.waitForSleepers(1)
        #expect(clock.pendingDelays == [.seconds(5)])
        clock.advance(by: .seconds(5))
        await #expect(throws: SupervisionError.stuck(children: ["stubborn"])) { try await stopping.value }
        #expect(journal.entries.last == "stop a")
        #expect(await supervisor.snapshot().children.map(\.state) == [.stopped, .stuck])
        release.fulfill(())
    }
}

@Suite struct ChildRefTests {
    @Test func requestsReachTheCurrentIncarnation() async throws {
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: VirtualClock())
        try await supervisor.start()
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        #expect(try await ref.ask { await $0.echo(7) } == 7)
        try await supervisor.shutdown()
    }

    @Test func restartingChildWhoseBackoffOutlastsTheWaitAnswersAtOnceWithWhenItWillBeBack() async throws {
        let clock = VirtualClock()
        let supervisor = Supervisor(
            name: "root", children: [.scripted("a", journal: Journal())], clock: clock, random: { 0 }, restartWait: .milliseconds(50))
        var events = EventWatcher(supervisor)
        try await supervisor.start()
        try await supervisor.inject(.crash, into: "a")
        await events.next { if case .restartScheduled = $0 { true } else { false } }
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        await #expect(throws: SupervisionError.unavailable(child: "a", state: .restarting, retryAfter: .milliseconds(100))) {
            try await ref.ask { await $0.echo(1) }
        }
        try await supervisor.shutdown()
    }

    @Test func requestInFlightWhenTheChildDiesGetsAnError() async throws {
        let clock = VirtualClock()
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: clock)
        try await supervisor.start()
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        let never = OneShot<Void>()
        let reply = Task {
            try await ref.ask { _ in
                await Task { _ = await never.wait() }.value  // a request that would never finish by itself
                return 0
            }
        }
        await clock.waitForSleepers(1)  // the request's timeout is armed: it is in flight
        try await supervisor.inject(.crash, into: "a")
        await #expect(throws: SupervisionError.childTerminated(child: "a")) { try await reply.value }
        never.fulfill(())
        try await supervisor.shutdown()
    }

    @Test func hungChildTimesOutAndClearingTheFaultReleasesIt() async throws {
        let clock = VirtualClock()
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: clock)
        try await supervisor.start()
        try await supervisor.inject(.hang, into: "a")
        let ref = supervisor.ref(to: "a", as: ScriptedChild.self)
        let reply = Task { try await ref.ask(deadline: RequestDeadline("echo", .seconds(2))) { await $0.echo(1) } }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        await #expect(throws: SupervisionError.timeout(child: "a", after: .seconds(2))) { try await reply.value }
        supervisor.faults.clear()
        #expect(try await ref.ask { await $0.echo(3) } == 3)
        try await supervisor.shutdown()
    }

    @Test func unknownChildAndWrongTypeAreClearErrors() async throws {
        let supervisor = Supervisor(name: "root", children: [.scripted("a", journal: Journal())], clock: VirtualClock())
        try await supervisor.start()
        await #expect(throws: SupervisionError.unknownChild("zz")) {
            try await supervisor.ref(to: "zz", as: ScriptedChild.self).ask { await $0.echo(1) }
        }
        await #expect(throws: SupervisionError.self) {
            try await supervisor.ref(to: "a", as: OneTimeChild.self).ask { _ in 1 }
        }
        try await supervisor.shutdown()
    }
}
