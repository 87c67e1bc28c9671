@testable import Containers
import Testing

@Suite struct LogsFollowerTests {
    private func followers(of writer: ContainerLogWriter) -> Int {
        writer.state.withLock { $0.followers.count }
    }

    @Test func forgetsReadersThatStopFollowing() async throws {
        let fixture = try LogsFixture()
        defer { fixture.remove() }
        let writer = try fixture.writer()
        try writer.write("a\n")
        do {
            var messages = try writer.read(LogReadOptions(follow: true)).makeAsyncIterator()
            _ = try await messages.next()
            #expect(followers(of: writer) == 1)
        }
        #expect(followers(of: writer) == 0, "a reader that goes away unregisters")

        let cancelled = Task { try await writer.read(LogReadOptions(tail: 0, follow: true)).collect() }
        cancelled.cancel()
        _ = try await cancelled.value
        #expect(followers(of: writer) == 0)

        _ = try await writer.read(LogReadOptions()).collect()
        #expect(followers(of: writer) == 0, "a reader that does not follow never registers")
        try writer.close()
    }
}
