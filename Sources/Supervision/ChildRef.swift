/// A typed address of a child that stays valid across its restarts.
///
/// Every request goes to the incarnation serving at that moment. A child that is starting, restarting
/// or stopping is answered at once with `SupervisionError.unavailable` (naming the child and when it
/// should be back); a request in flight when the incarnation dies fails with `childTerminated`; every
/// request has a timeout. A caller is never left hanging.
public struct ChildRef<Service>: Sendable {
    public let child: String
    let cell: ChildCell?
    let clock: any SupervisionClock
    let faults: FaultInjector
    let defaultTimeout: Duration
    let observer: (any ChildRequestObserver)?

    /// Sends `request` to the child's current incarnation and returns its answer.
    public func ask<Reply: Sendable>(
        timeout: Duration? = nil, _ request: @escaping @Sendable (Service) async throws -> Reply
    ) async throws -> Reply {
        guard let cell else { throw SupervisionError.unknownChild(child) }
        let (instance, incarnation) = try cell.serving(now: clock.now)
        guard let service = instance as? Service else {
            throw SupervisionError.wrongType(child: child, expected: String(describing: Service.self))
        }
        let limit = timeout ?? defaultTimeout
        let started = clock.now
        // Not `OneShot<Result<Reply, …>>`: a reply type known here is specialised in this module,
        // where a generic one has its metadata looked up at run time for every request.
        let reply = OneShot<Result<any Sendable, any Error>>()
        let (child, clock, faults) = (self.child, self.clock, self.faults)
        // Unstructured on purpose: a request that ignores cancellation must not hold its caller past the
        // timeout or past the death of the incarnation serving it. Both of those are callbacks, not
        // tasks: every request pays for them.
        let work = Task {
            do {
                try await faults.beforeRequest(to: child, clock: clock)
                reply.fulfill(.success(try await request(service)))
            } catch {
                reply.fulfill(.failure(error))
            }
        }
        let deadline = clock.schedule(after: limit) {
            reply.fulfill(.failure(SupervisionError.timeout(child: child, after: limit)))
        }
        let death = incarnation.exited.onFulfill { _ in
            reply.fulfill(.failure(SupervisionError.childTerminated(child: child)))
        }
        defer {
            work.cancel()
            deadline.cancel()
            if let death { incarnation.exited.cancelOnFulfill(death) }
        }
        guard let result = await reply.wait() else { throw CancellationError() }
        let failed = if case .failure = result { true } else { false }
        observer?.requestFinished(child: child, duration: clock.now - started, failed: failed)
        // The only value the work task can set is the request's `Reply`.
        return try result.get() as! Reply
    }
}
