import Messages
import Synchronization

/// Hands a process's output to every attached client. A client that subscribes while the process is
/// not running yet gets the next run's output; every subscription ends with the run it saw.
///
/// Each subscription holds at most ``budget`` bytes its client has not read. When one is full, the
/// output waits for it while the process runs: the pump stops reading, the pipe fills and the process's
/// writes block, as under dockerd, whose attach copies synchronously (a build's `RUN` waits for the
/// build's client this way, and loses nothing). Once the process has exited (the publisher's
/// `keepWaiting` says no, checked every ``recheck``), nothing waits: what is left in the pipes is queued
/// up to twice the budget, and beyond that dropped, so an exit is never held up by a client and berthd
/// holds at most twice ``budget`` bytes per client.
final class OutputHub: Sendable {
    /// The unread bytes one subscription may hold while the process runs.
    static let budget = 1 << 20
    /// How often a publisher waiting for a full subscription asks whether it should still wait.
    static let recheck: Duration = .seconds(1)

    private let subscribers = Mutex<[Int: WeakSubscription]>([:])
    private let nextID = Atomic<Int>(0)

    /// A stream of the output from now on, until the end of the current (or next) run. Dropping or
    /// cancelling the stream ends the subscription.
    func subscribe() -> AsyncStream<OutputChunk> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let subscription = OutputSubscription(budget: Self.budget, recheck: Self.recheck)
        subscribers.withLock { $0[id] = WeakSubscription(value: subscription) }
        return AsyncStream(unfolding: { await subscription.next() }, onCancel: { subscription.finish() })
    }

    /// Offers `chunk` to every subscription, waiting for full ones while `keepWaiting` (the process runs).
    func publish(_ chunk: OutputChunk, keepWaiting: @Sendable () -> Bool) async {
        let live = subscribers.withLock { subscribers in
            subscribers = subscribers.filter { $0.value.value?.isOpen ?? false }
            return subscribers.values.compactMap(\.value)
        }
        for subscription in live { await subscription.offer(chunk, keepWaiting: keepWaiting) }
    }

    /// Ends every subscription (the run is over and its output drained).
    func finishAll() {
        for subscription in subscribers.withLock({ subscribers in
            defer { subscribers = [:] }
            return subscribers.values.compactMap(\.value)
        }) { subscription.finish() }
    }
}

/// The hub does not keep a subscription alive: one whose stream was dropped goes with it.
private struct WeakSubscription: Sendable {
    weak var value: OutputSubscription?
}

/// One client's queue of output chunks, bounded in bytes (see ``OutputHub``).
final class OutputSubscription: Sendable {
    private let budget: Int
    private let recheck: Duration
    private let state = Mutex(State())

    private struct State {
        var chunks = WaitingQueue<OutputChunk>()
        var bytes = 0
        var finished = false
        var reader: CheckedContinuation<OutputChunk?, Never>?
        /// Publishers waiting for room; resumed with true when the client read, false when they gave up.
        var waiting: [Int: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter = 0
    }

    private enum Offer {
        case done
        case handTo(CheckedContinuation<OutputChunk?, Never>)
        case wait
    }

    init(budget: Int, recheck: Duration) {
        self.budget = budget
        self.recheck = recheck
    }

    var isOpen: Bool { state.withLock { !$0.finished } }

    /// Queues `chunk`, waiting while the queue is full and `keepWaiting` (see ``OutputHub``).
    func offer(_ chunk: OutputChunk, keepWaiting: @Sendable () -> Bool) async {
        var waits = true
        while true {
            let offer = state.withLock { state -> Offer in
                guard !state.finished else { return .done }
                if let reader = state.reader {
                    state.reader = nil
                    return .handTo(reader)
                }
                let limit = waits ? budget : 2 * budget
                guard state.chunks.isEmpty || state.bytes + chunk.bytes.count <= limit else {
                    return waits ? .wait : .done
                }
                state.chunks.append(chunk)
                state.bytes += chunk.bytes.count
                return .done
            }
            switch offer {
            case .done: return
            case .handTo(let reader):
                reader.resume(returning: chunk)
                return
            case .wait:
                if await !waitForRoom() { waits = keepWaiting() && !Task.isCancelled }
            }
        }
    }

    /// Waits until the client reads something (true), or for ``recheck`` or the publisher's cancellation
    /// (false).
    private func waitForRoom() async -> Bool {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task { [recheck] in
            try? await Task.sleep(for: recheck)
            self.resumeWaiter(id, with: false)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waits = state.withLock { state -> Bool in
                    guard !state.finished, !Task.isCancelled, state.reader == nil, !state.chunks.isEmpty else { return false }
                    state.waiting[id] = continuation
                    return true
                }
                if !waits { continuation.resume(returning: !Task.isCancelled) }
            }
        } onCancel: {
            self.resumeWaiter(id, with: false)
        }
    }

    private func resumeWaiter(_ id: Int, with value: Bool) {
        state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: value)
    }

    /// The next chunk, waiting for one; nil once the subscription has ended and been read to its end.
    func next() async -> OutputChunk? {
        await withCheckedContinuation { continuation in
            let (chunk, ended, waiters) = state.withLock { state -> (OutputChunk?, Bool, [CheckedContinuation<Bool, Never>]) in
                let waiters = Array(state.waiting.values)
                state.waiting = [:]
                guard let chunk = state.chunks.popFirst() else {
                    if state.finished { return (nil, true, waiters) }
                    state.reader = continuation
                    return (nil, false, waiters)
                }
                state.bytes -= chunk.bytes.count
                return (chunk, false, waiters)
            }
            for waiter in waiters { waiter.resume(returning: true) }
            if let chunk { continuation.resume(returning: chunk) } else if ended { continuation.resume(returning: nil) }
        }
    }

    /// Ends the subscription: the client reads what is queued, then the end; publishers stop waiting.
    func finish() {
        let (reader, waiters) = state.withLock { state in
            state.finished = true
            defer { (state.reader, state.waiting) = (nil, [:]) }
            return (state.reader, Array(state.waiting.values))
        }
        reader?.resume(returning: nil)
        for waiter in waiters { waiter.resume(returning: false) }
    }
}
