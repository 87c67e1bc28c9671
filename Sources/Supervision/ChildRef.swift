/// A typed address of a child that stays valid across its restarts.
///
/// Every request goes to the incarnation serving at that moment. A child that is restarting (starting
/// again, waiting out its backoff, or being stopped after a crash) is waited for, up to `restartWait`
/// and the request's deadline; one that will not serve again (out of restarts, stopped, stuck) or is not
/// back in time is answered with a `SupervisionError` naming it. A request in flight when the incarnation
/// dies fails with `childTerminated`; every request has a deadline (``RequestDeadline``), which the
/// requests it sends on inherit. A caller is never left hanging.
public struct ChildRef<Service>: Sendable {
    public let child: String
    let cell: ChildCell?
    let clock: any SupervisionClock
    let faults: FaultInjector
    let defaultTimeout: Duration
    /// How long a request waits at most for a restarting child to serve again.
    let restartWait: Duration
    let observer: (any ChildRequestObserver)?

    /// Sends `request` to the child's current incarnation and returns its answer, within `deadline`
    /// (the child's `requestTimeout` when nil) and what is left of the deadline of the request being
    /// served, if any.
    public func ask<Reply: Sendable>(
        deadline: RequestDeadline? = nil, _ request: @escaping @Sendable (Service) async throws -> Reply
    ) async throws -> Reply {
        try await send(deadline: deadline, request).reply
    }

    /// Like ``ask(deadline:_:)``, for a reply that keeps flowing from the incarnation that made it (a log
    /// follower, an attach, an exec's output): also returns that incarnation's end, so a stream a crash
    /// cuts can be ended cleanly, as a daemon's restart ends it.
    public func askStreaming<Reply: Sendable>(
        deadline: RequestDeadline? = nil, _ request: @escaping @Sendable (Service) async throws -> Reply
    ) async throws -> (reply: Reply, end: IncarnationEnd) {
        let (reply, incarnation) = try await send(deadline: deadline, request)
        return (reply, IncarnationEnd(exited: incarnation.exited))
    }

    private func send<Reply: Sendable>(
        deadline: RequestDeadline?, _ request: @escaping @Sendable (Service) async throws -> Reply
    ) async throws -> (reply: Reply, incarnation: Incarnation) {
        guard let cell else { throw SupervisionError.unknownChild(child) }
        let started = clock.now
        let scope = RequestScope(deadline ?? RequestDeadline("request", defaultTimeout), now: started)
        defer { scope.close() }
        let (instance, incarnation) = try await serving(cell, within: scope)
        guard let service = instance as? Service else {
            throw SupervisionError.wrongType(child: child, expected: String(describing: Service.self))
        }
        // Not `OneShot<Result<Reply, …>>`: a reply type known here is specialised in this module,
        // where a generic one has its metadata looked up at run time for every request.
        let reply = OneShot<Result<any Sendable, any Error>>()
        let (child, clock, faults) = (self.child, self.clock, self.faults)
        // Unstructured on purpose: a request that ignores cancellation must not hold its caller past the
        // deadline or past the death of the incarnation serving it. Both of those are callbacks, not
        // tasks: every request pays for them.
        let work = Task {
            await RequestScope.$current.withValue(scope) {
                do {
                    try await faults.beforeRequest(to: child, clock: clock)
                    reply.fulfill(.success(try await request(service)))
                } catch {
                    reply.fulfill(.failure(error))
                }
            }
        }
        let timer = clock.schedule(after: scope.remaining(at: clock.now)) {
            reply.fulfill(.failure(SupervisionError.timeout(child: child, after: scope.until - started)))
        }
        let death = incarnation.exited.onFulfill { _ in
            reply.fulfill(.failure(SupervisionError.childTerminated(child: child)))
        }
        defer {
            work.cancel()
            timer.cancel()
            if let death { incarnation.exited.cancelOnFulfill(death) }
        }
        guard let result = await reply.wait() else { throw CancellationError() }
        let failed = if case .failure = result { true } else { false }
        observer?.requestFinished(child: child, duration: clock.now - started, failed: failed)
        // The only value the work task can set is the request's `Reply`.
        return (try result.get() as! Reply, incarnation)
    }

    /// The incarnation to send a request to: the one serving now, or the next one if the child is
    /// restarting and serves again within `restartWait` and the request's deadline.
    private func serving(_ cell: ChildCell, within scope: RequestScope) async throws -> (any SupervisedChild, Incarnation) {
        let since = clock.now
        let waitUntil = min(since + restartWait, scope.until)
        while true {
            let now = clock.now
            switch cell.availability {
            case .serving(let instance, let incarnation):
                return (instance, incarnation)
            case .gone(let error):
                throw error
            case .comingBack(let changed, let retryAt, let state):
                // A child whose backoff alone outlasts the wait is not waited for: the caller hears at
                // once when it should be back.
                if let retryAt, retryAt >= waitUntil {
                    throw SupervisionError.unavailable(child: child, state: state, retryAfter: retryAt - now)
                }
                guard now < waitUntil else { throw SupervisionError.notBack(child: child, state: state, waited: now - since) }
                guard await changed.wait(atMost: waitUntil - now, on: clock) != nil else { throw CancellationError() }
            }
        }
    }
}

/// The end of the incarnation that answered a request (``ChildRef/askStreaming(deadline:_:)``).
public struct IncarnationEnd: Sendable {
    let exited: OneShot<IncarnationOutcome>

    /// Returns once the incarnation has ended, or when the waiting task is cancelled.
    public func wait() async { _ = await exited.wait() }
}
