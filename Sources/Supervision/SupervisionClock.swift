import NIOCore
import NIOPosix
import Synchronization

/// The time source of a supervisor: restart delays, restart-intensity windows, start and stop budgets and
/// request timeouts all read it, so tests can drive them with a `VirtualClock` instead of sleeping.
public protocol SupervisionClock: Sendable {
    /// Time elapsed since an arbitrary, fixed origin.
    var now: Duration { get }
    /// Suspends for `duration`; throws `CancellationError` when the calling task is cancelled.
    func sleep(for duration: Duration) async throws
    /// Calls `action` once `duration` has passed, unless the returned timer is cancelled first.
    func schedule(after duration: Duration, _ action: @escaping @Sendable () -> Void) -> SupervisionTimer
}

/// A pending ``SupervisionClock/schedule(after:_:)``.
public struct SupervisionTimer: Sendable {
    /// Drops the action if it has not run.
    public let cancel: @Sendable () -> Void
}

extension SupervisionClock {
    /// A task that sleeps on this clock, so a `VirtualClock` counts it among its sleepers.
    public func schedule(after duration: Duration, _ action: @escaping @Sendable () -> Void) -> SupervisionTimer {
        let task = Task {
            if (try? await sleep(for: duration)) != nil { action() }
        }
        return SupervisionTimer { task.cancel() }
    }
}

/// The real, monotonic clock (`ContinuousClock`).
public struct SystemClock: SupervisionClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration, clock: .continuous)
    }

    /// A timer on one of NIO's event loops (the current one when called on a loop): no task is
    /// started, and cancelling takes it out of the loop's queue (every request to a child has one).
    public func schedule(after duration: Duration, _ action: @escaping @Sendable () -> Void) -> SupervisionTimer {
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(duration), action)
        return SupervisionTimer { scheduled.cancel() }
    }
}
