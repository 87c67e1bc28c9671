import Synchronization

/// A value that is set once and awaited by any number of tasks.
///
/// Waiting is cancellation-aware: a cancelled waiter returns `nil` at once, so a request racing a
/// child's death or a timeout never leaves a continuation behind. Code that must not spend a task on
/// waiting registers a callback instead (``onFulfill(_:)``).
public final class OneShot<Value: Sendable>: Sendable {
    private enum Waiter {
        case task(CheckedContinuation<Value?, Never>)
        case callback(@Sendable (Value) -> Void)

        func resume(with value: Value) {
            switch self {
            case .task(let continuation): continuation.resume(returning: value)
            case .callback(let action): action(value)
            }
        }
    }

    private struct State {
        var value: Value?
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// The value, if it has been set.
    public var peek: Value? { state.withLock { $0.value } }

    /// Sets the value and wakes every waiter; later calls are ignored. Returns whether this call set it.
    @discardableResult
    public func fulfill(_ value: Value) -> Bool {
        let waiters = state.withLock { s -> [Waiter]? in
            guard s.value == nil else { return nil }
            s.value = value
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        guard let waiters else { return false }
        waiters.forEach { $0.resume(with: value) }
        return true
    }

    /// Calls `action` with the value once it is set (at once, on this thread, if it is set already).
    /// Returns a key for ``cancelOnFulfill(_:)``, or nil when `action` has already run.
    @discardableResult
    public func onFulfill(_ action: @escaping @Sendable (Value) -> Void) -> Int? {
        let (key, value) = state.withLock { s -> (Int?, Value?) in
            if let value = s.value { return (nil, value) }
            s.nextID += 1
            s.waiters[s.nextID] = .callback(action)
            return (s.nextID, nil)
        }
        if let value { action(value) }
        return key
    }

    /// Drops a callback registered with ``onFulfill(_:)`` that has not run.
    public func cancelOnFulfill(_ key: Int) {
        _ = state.withLock { $0.waiters.removeValue(forKey: key) }
    }

    /// Waits for the value; returns `nil` if the waiting task is cancelled first.
    public func wait() async -> Value? {
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate = state.withLock { s -> Value?? in
                    if let value = s.value { return .some(value) }
                    if Task.isCancelled { return .some(nil) }
                    s.waiters[id] = .task(continuation)
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            if case .task(let continuation) = state.withLock({ $0.waiters.removeValue(forKey: id) }) {
                continuation.resume(returning: nil)
            }
        }
    }

    /// Waits for the value at most `duration` of `clock`: true when it was set, false when the time ran
    /// out first, `nil` if the waiting task is cancelled.
    public func wait(atMost duration: Duration, on clock: any SupervisionClock) async -> Bool? {
        let outcome = OneShot<Bool>()
        let key = onFulfill { _ in outcome.fulfill(true) }
        let timer = clock.schedule(after: duration) { outcome.fulfill(false) }
        defer {
            timer.cancel()
            if let key { cancelOnFulfill(key) }
        }
        return await outcome.wait()
    }
}
