import Logging

/// The root of a supervision tree: starts its children in order, restarts them when they fail, and
/// stops them in reverse order.
///
/// - Start: children are started one at a time, in the order of their specs; each must call
///   `ChildContext.ready()` within its `startTimeout` before the next is started. If one fails to start,
///   the ones already started are stopped in reverse and `start()` throws `.bootFailed` naming it.
/// - Failure: a child whose `run` throws (or returns, if it is `permanent`) is restarted after its
///   `Backoff` delay; only that child is restarted (one-for-one). Every restart is counted against the
///   child's `RestartIntensity`; exceeding it stops the whole tree, and `terminated()` reports
///   `.intensityExceeded`.
/// - Stop: `shutdown()` stops the children in reverse start order, each within its `shutdownBudget`;
///   a child that does not stop in time is marked `stuck`, the others are still stopped, and the tree
///   ends with `.stuck`.
///
/// It does not restart siblings of a failed child, and it knows nothing of what its children do.
public actor Supervisor {
    public nonisolated let name: String
    /// The faults armed in this tree (only used by tests and by `--fault-injection`).
    public nonisolated let faults: FaultInjector
    public nonisolated let events: AsyncStream<SupervisionEvent>

    private nonisolated let slots: [Slot]
    private nonisolated let clock: any SupervisionClock
    private nonisolated let observer: (any ChildRequestObserver)?
    private nonisolated let restartWait: Duration
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let eventSink: AsyncStream<SupervisionEvent>.Continuation
    private var state: ChildState = .idle
    private var streaks: [String: Int] = [:]
    private var windows: [String: RestartWindow] = [:]
    private var pendingRestarts: [String: Task<Void, Never>] = [:]
    private var shutdownTask: Task<SupervisionError?, Never>?
    private let ended = OneShot<SupervisionError?>()

    private struct Slot: Sendable {
        let spec: ChildSpec
        let cell: ChildCell
    }

    /// - Parameters:
    ///   - random: draws the jitter of restart delays, uniform in [0, 1).
    ///   - restartWait: how long a request waits at most for a restarting child to serve again.
    public init(
        name: String, children: [ChildSpec], clock: any SupervisionClock = SystemClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        faults: FaultInjector = FaultInjector(), observer: (any ChildRequestObserver)? = nil,
        restartWait: Duration = .seconds(5), logger: Logger = Logger(label: "berth.supervision")
    ) {
        self.observer = observer
        self.restartWait = restartWait
        self.name = name
        self.slots = children.map { Slot(spec: $0, cell: ChildCell(name: $0.name, restartType: $0.restart)) }
        self.clock = clock
        self.random = random
        self.faults = faults
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// The names of the children, in start order.
    public nonisolated var childNames: [String] { slots.map(\.spec.name) }

    /// A reference to a child, valid across its restarts.
    public nonisolated func ref<Service>(to child: String, as type: Service.Type = Service.self) -> ChildRef<Service> {
        let slot = slots.first { $0.spec.name == child }
        return ChildRef(
            child: child, cell: slot?.cell, clock: clock, faults: faults,
            defaultTimeout: slot?.spec.requestTimeout ?? .seconds(30), restartWait: restartWait, observer: observer)
    }

    // MARK: Start

    /// Starts every child in order, each after the previous one is ready.
    public func start() async throws {
        guard state == .idle else { return }
        try ChildContracts.check(slots.map(\.spec))
        state = .starting
        for (index, slot) in slots.enumerated() {
            do {
                try await launch(slot)
            } catch is StartInterrupted {
                throw SupervisionError.bootFailed(child: slot.spec.name, reason: "stopped while starting")
            } catch {
                let reason = String(describing: error)
                logger.error("failed to boot child", metadata: ["child": "\(slot.spec.name)", "error": "\(reason)"])
                slot.cell.update { $0.state = .failed; $0.lastError = reason }
                state = .stopping
                let stuck = await stop(slots[..<index].reversed())
                let failure = SupervisionError.bootFailed(child: slot.spec.name, reason: reason)
                finish(stuck.isEmpty ? failure : .stuck(children: stuck), treeState: .failed)
                throw failure
            }
        }
        if state == .starting { state = .running }
        emit(.treeReady)
    }

    /// Waits until the tree has stopped: `nil` after a clean `shutdown()`, else the reason it ended.
    public nonisolated func terminated() async -> SupervisionError? {
        await ended.wait() ?? nil
    }

    /// Starts one incarnation of a child and waits until it is ready (or has completed its work).
    ///
    /// Each await may let a stop in: one that came while the factory ran finds no incarnation to wait
    /// for, and one that came while the incarnation started is stopping it; either way the start throws
    /// `StartInterrupted` and leaves the cell to the stop.
    private func launch(_ slot: Slot) async throws {
        let spec = slot.spec
        let number = slot.cell.update { s -> Int in
            s.state = .starting
            s.incarnationNumber += 1
            s.retryAt = nil
            return s.incarnationNumber
        }
        if faults.takeStartFailure(for: spec.name) {
            throw SupervisionError.injected(child: spec.name, fault: "fail-start")
        }
        let incarnation = Incarnation(number: number)
        let context = ChildContext(
            name: spec.name, incarnation: number,
            logger: logger.with(child: spec.name, incarnation: number), clock: clock, cell: slot.cell,
            readiness: incarnation.readiness, owner: WeakSupervisor(self))
        let child = try await spec.factory(context)
        let stillStarting = slot.cell.update { s -> Bool in
            guard s.state == .starting, s.incarnationNumber == number else { return false }
            s.incarnation = incarnation
            return true
        }
        guard stillStarting else { throw StartInterrupted() }
        incarnation.launch(child, context: context) { [weak self] outcome in
            await self?.incarnationEnded(slot.spec.name, incarnation, outcome)
        }
        let result = await firstOf(incarnation, within: spec.startTimeout)
        guard slot.cell.read({ $0.state == .starting && $0.incarnation === incarnation }) else { throw StartInterrupted() }
        switch result {
        case _ where incarnation.readiness.peek != nil:
            slot.cell.update { s in
                s.state = .running
                s.instance = child
                s.runningSince = clock.now
            }
            emit(.started(child: spec.name, incarnation: number))
            logger.info("started child", metadata: ["child": "\(spec.name)", "incarnation": "\(number)"])
            // It may have ended after its readiness, while `incarnationEnded` saw it starting and left it
            // alone: a cell must never say running with an incarnation that is gone.
            if let outcome = incarnation.exited.peek { incarnationEnded(spec.name, incarnation, outcome) }
        case .exited(.returned) where spec.restart != .permanent:
            slot.cell.update { $0.state = .completed }
            emit(.completed(child: spec.name))
        case .exited(let outcome):
            throw StartFailure(reason: outcome.reason)
        case .timedOut, .ready:  // `.ready` always has its readiness set: handled above
            incarnation.terminate(as: .failed("start timed out"))
            throw StartFailure(reason: "not ready within \(spec.startTimeout.seconds) s")
        }
    }

    private enum StartResult { case ready, exited(IncarnationOutcome), timedOut }

    private func firstOf(_ incarnation: Incarnation, within timeout: Duration) async -> StartResult {
        let result = OneShot<StartResult>()
        let clock = self.clock
        let watchers = [
            Task { if await incarnation.readiness.wait() != nil { result.fulfill(.ready) } },
            Task { if let outcome = await incarnation.exited.wait() { result.fulfill(.exited(outcome)) } },
            Task { if (try? await clock.sleep(for: timeout)) != nil { result.fulfill(.timedOut) } },
        ]
        defer { watchers.forEach { $0.cancel() } }
        return await result.wait() ?? .timedOut
    }

    // MARK: Failure and restart

    /// Called when an incarnation's `run` has returned; restarts or retires the child.
    private func incarnationEnded(_ name: String, _ incarnation: Incarnation, _ outcome: IncarnationOutcome) {
        guard let slot = slot(named: name), incarnation.requested == nil,
              slot.cell.read({ $0.incarnation === incarnation && $0.state == .running })
        else { return }  // a stop, a crash or a start in progress handles it
        retire(slot, after: outcome)
    }

    /// Restarts a child whose incarnation has ended, or retires it, as its restart type says.
    private func retire(_ slot: Slot, after outcome: IncarnationOutcome) {
        let name = slot.spec.name
        slot.cell.update { $0.instance = nil }
        switch (outcome, slot.spec.restart) {
        case (.returned, .transient), (.returned, .temporary):
            slot.cell.update { $0.state = .completed; $0.runningSince = nil }
            emit(.completed(child: name))
        case (.failed(let reason), .temporary):
            slot.cell.update { $0.state = .failed; $0.lastError = reason; $0.runningSince = nil }
            emit(.failed(child: name, reason: reason))
        default:
            scheduleRestart(slot, reason: outcome.reason)
        }
    }

    /// Marks the child as restarting and starts it again after its backoff delay.
    private func scheduleRestart(_ slot: Slot, reason: String) {
        let name = slot.spec.name
        emit(.failed(child: name, reason: reason))
        guard state == .starting || state == .running else {
            slot.cell.update { $0.state = .failed; $0.lastError = reason }
            return
        }
        let now = clock.now
        let ranLongEnough = slot.cell.read { s in s.runningSince.map { now - $0 >= slot.spec.backoff.resetAfter } ?? false }
        if ranLongEnough { streaks[name] = 0 }
        let attempt = streaks[name, default: 0] + 1
        streaks[name] = attempt
        var window = windows[name] ?? RestartWindow(limit: slot.spec.intensity)
        let allowed = window.record(at: now)
        windows[name] = window
        let delay = slot.spec.backoff.delay(attempt: attempt, random: random())
        slot.cell.update { s in
            s.state = allowed ? .restarting : .failed
            s.instance = nil
            s.runningSince = nil
            s.restarts += 1
            s.lastError = reason
            s.backoff = delay
            s.retryAt = allowed ? now + delay : nil
        }
        logger.warning(
            "child failed",
            metadata: ["child": "\(name)", "error": "\(reason)", "attempt": "\(attempt)", "delayMs": "\(delay.milliseconds)"])
        guard allowed else {
            let limit = slot.spec.intensity
            escalate(.intensityExceeded(child: name, restarts: limit.maxRestarts, period: limit.period))
            return
        }
        emit(.restartScheduled(child: name, attempt: attempt, delay: delay))
        let clock = self.clock
        pendingRestarts[name] = Task { [weak self] in
            guard (try? await clock.sleep(for: delay)) != nil else { return }
            await self?.restart(name)
        }
    }

    private func restart(_ name: String) async {
        pendingRestarts[name] = nil
        guard let slot = slot(named: name), state == .starting || state == .running,
              slot.cell.read({ $0.state == .restarting })
        else { return }
        do {
            try await launch(slot)
        } catch is StartInterrupted {
            return  // the stop that interrupted it owns the cell
        } catch {
            scheduleRestart(slot, reason: String(describing: error))
        }
    }

    /// Stops the tree because restarting no longer helps.
    private func escalate(_ error: SupervisionError) {
        logger.critical("giving up on the tree", metadata: ["error": "\(error)"])
        Task { await self.stopAll(reason: error) }
    }

    // MARK: Faults

    /// Injects a fault into a child. A crash happens after this returns, so a request that asks for the
    /// crash of the child serving it still gets its answer; the cell says `stopping` at once, so a second
    /// crash of the same incarnation is refused and requests wait for the next one.
    public func inject(_ fault: Fault, into child: String) throws {
        guard let slot = slot(named: child) else { throw SupervisionError.unknownChild(child) }
        guard fault == .crash else {
            faults.arm(fault, for: child)
            return
        }
        let crashing = slot.cell.update { s -> Incarnation? in
            guard s.state == .running, let incarnation = s.incarnation else { return nil }
            s.state = .stopping
            s.instance = nil
            s.restartAfterStop = true
            return incarnation
        }
        guard let crashing else {
            throw SupervisionError.unavailable(child: child, state: slot.cell.read(\.state), retryAfter: nil)
        }
        Task { await self.crash(slot, crashing) }
    }

    private func crash(_ slot: Slot, _ incarnation: Incarnation) async {
        incarnation.terminate(as: .failed(SupervisionError.injected(child: slot.spec.name, fault: "crash").description))
        let exited = await exits(incarnation, within: slot.spec.shutdownBudget)
        // A shutdown that began meanwhile has taken the child over.
        guard state == .starting || state == .running,
              slot.cell.read({ $0.state == .stopping && $0.restartAfterStop && $0.incarnation === incarnation })
        else { return }
        if exited {
            retire(slot, after: .failed("injected crash"))
        } else {
            markStuck(slot)
            escalate(.stuck(children: [slot.spec.name]))
        }
    }

    // MARK: Stop

    /// Stops every child in reverse start order. Returns (or throws `.stuck`) once all have stopped or
    /// been reported stuck. Calling it again waits for the first call.
    public func shutdown() async throws {
        if let error = await stopAll(reason: nil) { throw error }
    }

    @discardableResult
    private func stopAll(reason: SupervisionError?) async -> SupervisionError? {
        if let shutdownTask { return await shutdownTask.value }
        let task = Task { () -> SupervisionError? in
            state = .stopping
            pendingRestarts.values.forEach { $0.cancel() }
            pendingRestarts.removeAll()
            let stuck = await stop(slots.reversed())
            let error = stuck.isEmpty ? reason : .stuck(children: stuck)
            finish(error, treeState: error == nil ? .stopped : .failed)
            return error
        }
        shutdownTask = task
        return await task.value
    }

    /// Stops the given children one after the other; returns the names of those that got stuck.
    private func stop(_ toStop: some Sequence<Slot>) async -> [String] {
        var stuck: [String] = []
        for slot in toStop {
            let incarnation = slot.cell.update { s -> Incarnation? in
                switch s.state {
                case .starting where s.incarnation?.exited.peek != nil || s.incarnation == nil:
                    // Its factory is running: the start gives up when it returns (`StartInterrupted`).
                    s.state = .stopped
                    return nil
                case .running, .starting, .stopping:
                    s.state = .stopping
                    s.instance = nil
                    s.restartAfterStop = false
                    return s.incarnation
                case .restarting:
                    s.state = .stopped
                    s.retryAt = nil
                    return nil
                default:
                    return nil
                }
            }
            guard let incarnation else { continue }
            incarnation.terminate(as: .stopped)
            if await exits(incarnation, within: slot.spec.shutdownBudget) {
                slot.cell.update { $0.state = .stopped; $0.runningSince = nil }
                emit(.stopped(child: slot.spec.name))
                logger.info("stopped child", metadata: ["child": "\(slot.spec.name)"])
            } else {
                markStuck(slot)
                stuck.append(slot.spec.name)
            }
        }
        return stuck
    }

    private func exits(_ incarnation: Incarnation, within budget: Duration) async -> Bool {
        let result = OneShot<Bool>()
        let clock = self.clock
        let watchers = [
            Task { if await incarnation.exited.wait() != nil { result.fulfill(true) } },
            Task { if (try? await clock.sleep(for: budget)) != nil { result.fulfill(false) } },
        ]
        defer { watchers.forEach { $0.cancel() } }
        return await result.wait() ?? false
    }

    private func markStuck(_ slot: Slot) {
        slot.cell.update { $0.state = .stuck; $0.lastError = "did not stop within \(slot.spec.shutdownBudget.seconds) s" }
        emit(.stuck(child: slot.spec.name))
        logger.critical("child did not stop within its budget", metadata: ["child": "\(slot.spec.name)"])
    }

    private func finish(_ error: SupervisionError?, treeState: ChildState) {
        state = treeState
        emit(.treeStopped(error: error))
        eventSink.finish()
        ended.fulfill(error)
    }

    // MARK: Introspection

    /// The tree as it is now.
    public func snapshot() -> TreeSnapshot {
        let now = clock.now
        return TreeSnapshot(
            name: name, state: state, faults: faults.description,
            children: slots.map { slot in
                slot.cell.read { s in
                    ChildSnapshot(
                        name: slot.spec.name, state: s.state, restartType: slot.spec.restart,
                        incarnation: s.incarnationNumber, restarts: s.restarts, lastError: s.lastError,
                        backoffMs: s.backoff.milliseconds,
                        retryInMs: s.retryAt.map { max($0 - now, .zero).milliseconds },
                        uptimeMs: s.runningSince.map { (now - $0).milliseconds }, info: s.info,
                        requires: slot.spec.requires, calls: slot.spec.calls)
                }
            })
    }

    /// The state of the tree as a whole.
    public var treeState: ChildState { state }

    private func slot(named name: String) -> Slot? { slots.first { $0.spec.name == name } }

    private func emit(_ event: SupervisionEvent) { eventSink.yield(event) }
}

/// A start given up because the child is being stopped.
struct StartInterrupted: Error {}

/// A start that did not reach readiness.
struct StartFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

extension IncarnationOutcome {
    var reason: String {
        switch self {
        case .returned: "returned"
        case .failed(let reason): reason
        case .stopped: "stopped"
        }
    }
}

extension Logger {
    func with(child: String, incarnation: Int) -> Logger {
        var copy = self
        copy[metadataKey: "child"] = "\(child)"
        copy[metadataKey: "incarnation"] = "\(incarnation)"
        return copy
    }
}
