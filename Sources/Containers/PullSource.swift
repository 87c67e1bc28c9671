/// The iterator behind a pull-based stream (`AsyncStream(unfolding:)`): an element is made only when the
/// consumer asks for one, so a consumer that reads slowly (a client of `docker logs -f` that does not read)
/// holds the producer back instead of letting a buffer between them grow.
final class PullSource<Base: AsyncIteratorProtocol>: @unchecked Sendable {
    // Unchecked: a stream has one consumer, which asks for one element at a time.
    private var base: Base?

    init(_ base: Base) {
        self.base = base
    }

    /// The next element; nil once the base has ended (or failed: the error is thrown once).
    func next() async throws -> Base.Element? {
        do {
            guard let element = try await self.base?.next() else {
                self.base = nil
                return nil
            }
            return element
        } catch {
            self.base = nil
            throw error
        }
    }
}
