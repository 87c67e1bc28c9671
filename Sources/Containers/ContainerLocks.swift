/// Serializes the operations on one container (start, stop, remove, …) while operations on others run
/// on. Lives inside the `containers` actor, so its state needs no lock of its own.
struct ContainerLocks {
    private var held: Set<String> = []
    private var queued: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Whether `id` is free; marks it held when it is.
    mutating func tryAcquire(_ id: String) -> Bool {
        held.insert(id).inserted
    }

    mutating func enqueue(_ id: String, _ continuation: CheckedContinuation<Void, Never>) {
        queued[id, default: []].append(continuation)
    }

    /// Hands the lock to the next waiter, or frees it.
    mutating func release(_ id: String) {
        if var waiting = queued[id], !waiting.isEmpty {
            let next = waiting.removeFirst()
            queued[id] = waiting.isEmpty ? nil : waiting
            next.resume()
        } else {
            held.remove(id)
        }
    }
}

extension ContainersChild {
    /// Runs `body` while holding the container's lock.
    func serialized<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
        if !locks.tryAcquire(id) {
            await withCheckedContinuation { locks.enqueue(id, $0) }
        }
        defer { locks.release(id) }
        return try await body()
    }
}
