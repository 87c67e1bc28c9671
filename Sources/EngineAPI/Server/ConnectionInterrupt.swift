import Synchronization

/// Fires once, for good, when a connection must stop its streamed response or hijack: the peer closed the
/// connection, or the server is shutting down.
///
/// A streaming response races its producer against ``wait()``; it does not cancel anything by itself.
final class ConnectionInterrupt: Sendable {
    private struct State {
        var isFired = false
        var nextWaiterID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var isFired: Bool {
        self.state.withLock { $0.isFired }
    }

    /// Fires the interrupt, waking every waiter; later calls do nothing.
    func fire() {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.isFired else { return [] }
            state.isFired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Returns once the interrupt has fired, or at once when the calling task is cancelled.
    func wait() async {
        let id = self.state.withLock { state -> Int? in
            guard !state.isFired else { return nil }
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    // Cancellation is checked under the lock: `onCancel` either ran before (and found no
                    // waiter to resume) or runs after and finds this one.
                    guard !state.isFired, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
