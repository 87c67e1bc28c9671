import Synchronization

/// The time source of a supervisor: restart delays, restart-intensity windows, start and stop budgets and
/// request timeouts all read it, so tests can drive them with a `VirtualClock` instead of sleeping.
public protocol SupervisionClock: Sendable {
    /// Time elapsed since an arbitrary, fixed origin.
    var now: Duration { get }
    /// Suspends for `duration`; throws `CancellationError` when the calling task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real, monotonic clock (`ContinuousClock`).
public struct SystemClock: SupervisionClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration, clock: .continuous)
    }
}
