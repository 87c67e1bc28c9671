import Testing
@testable import Supervision

/// A child that forwards a request to a sibling, as `containers` asks `network` while serving `start`.
actor RelayChild: ServingChild {
    let inner: OneShot<Result<Int, SupervisionError>>

    init(inner: OneShot<Result<Int, SupervisionError>>) { self.inner = inner }

    func relay(to ref: ChildRef<ScriptedChild>, deadline: RequestDeadline) async throws -> Int {
        do {
            let value = try await ref.ask(deadline: deadline) { await $0.echo(1) }
            inner.fulfill(.success(value))
            return value
        } catch let error as SupervisionError {
            inner.fulfill(.failure(error))
            throw error
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct RequestDeadlineTests {
    /// Asks `containers` (deadline 2 s) to relay a request to a hung `network` with `innerDeadline`;
    /// returns once both requests' timers are armed, with their delays.
    private func relayToHungChild(
        innerDeadline: RequestDeadline, _ check: ([Duration], VirtualClock, Task<Int, any Error>, OneShot<Result<Int, SupervisionError>>) async -> Void
    ) async throws {
        let clock = VirtualClock()
        let inner = OneShot<Result<Int, SupervisionError>>()
        let supervisor = Supervisor(
            name: "root",
            children: [.scripted("network", journal: Journal()), ChildSpec(name: "containers") { _ in RelayChild(inner: inner) }],
            clock: clock)
        try await supervisor.start()
        try await supervisor.inject(.hang, into: "network")
        let network = supervisor.ref(to: "network", as: ScriptedChild.self)
        let containers = supervisor.ref(to: "containers", as: RelayChild.self)
        let reply = Task {
            try await containers.ask(deadline: RequestDeadline("container-start", .seconds(2))) {
                try await $0.relay(to: network, deadline: innerDeadline)
            }
        }
        await clock.waitForSleepers(2)
        await check(clock.pendingDelays, clock, reply, inner)
        supervisor.faults.clear()
        try await supervisor.shutdown()
    }

    @Test func nestedRequestIsBoundedByItsCallersDeadline() async throws {
        try await relayToHungChild(innerDeadline: RequestDeadline("network-attach", .seconds(120))) { delays, clock, reply, inner in
            #expect(delays == [.seconds(2), .seconds(2)])
            clock.advance(by: .seconds(2))
            await #expect(throws: SupervisionError.timeout(child: "containers", after: .seconds(2))) { try await reply.value }
            #expect(await inner.wait() == .failure(.timeout(child: "network", after: .seconds(2))))
        }
    }

    @Test func deadlineThatOutlivesItsCallerKeepsItsOwnBudget() async throws {
        try await relayToHungChild(innerDeadline: RequestDeadline("process-exit", .seconds(60), outlivesCaller: true)) { delays, clock, reply, _ in
            #expect(delays == [.seconds(2), .seconds(60)])
            clock.advance(by: .seconds(2))
            await #expect(throws: SupervisionError.self) { try await reply.value }
        }
    }

    @Test func scopeClosesWhenItsRequestIsAnswered() {
        let scope = RequestScope(RequestDeadline("outer", .seconds(2)), now: .zero)
        let tighter = RequestScope.$current.withValue(scope) { RequestScope(RequestDeadline("inner", .seconds(30)), now: .seconds(1)) }
        #expect(tighter.until == .seconds(2))
        #expect(tighter.name == "outer")
        scope.close()
        let free = RequestScope.$current.withValue(scope) { RequestScope(RequestDeadline("inner", .seconds(30)), now: .seconds(1)) }
        #expect(free.until == .seconds(31))
    }
}
