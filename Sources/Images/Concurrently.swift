/// Runs `work` on every index of `count`, at most `limit` at a time, and returns the results in index
/// order; `finished` is told of each as it completes. The first error cancels the rest.
func concurrently<Result: Sendable>(
    _ count: Int, limit: Int, _ work: @escaping @Sendable (Int) async throws -> Result, finished: (Int) -> Void = { _ in }
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results: [Result?] = Array(repeating: nil, count: count)
        var next = 0
        func start() {
            let index = next
            group.addTask { (index, try await work(index)) }
            next += 1
        }
        while next < min(max(limit, 1), count) { start() }
        while let (index, result) = try await group.next() {
            results[index] = result
            finished(index)
            if next < count { start() }
        }
        return results.map { $0! }
    }
}
