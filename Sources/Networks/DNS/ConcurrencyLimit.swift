import Synchronization

/// Lets at most `limit` holders in at once; a would-be holder past that is turned away rather than kept waiting.
final class ConcurrencyLimit: Sendable {
    let limit: Int
    private let holders = Mutex(0)

    init(_ limit: Int) {
        self.limit = limit
    }

    /// Whether a place was free; on true, the caller must `release` it.
    func tryAcquire() -> Bool {
        holders.withLock { holders in
            guard holders < limit else { return false }
            holders += 1
            return true
        }
    }

    func release() {
        holders.withLock { $0 -= 1 }
    }
}
