import Messages
import Synchronization
import Testing

@testable import Containers

/// An attached client's unread output is bounded in bytes (issue 18): the output waits for the client
/// while the process runs, and not once it has exited.
@Suite struct OutputHubTests {
    private static func chunk(_ size: Int, _ byte: UInt8 = 0x78) -> OutputChunk {
        OutputChunk(stream: .stdout, bytes: [UInt8](repeating: byte, count: size))
    }

    /// A client that keeps reading gets every byte, in order, however much it is behind.
    @Test func aReadingClientGetsEverything() async {
        let subscription = OutputSubscription(budget: 64 << 10, recheck: .milliseconds(50))
        let publisher = Task {
            for index in 0..<400 { await subscription.offer(Self.chunk(32 << 10, UInt8(index % 256))) { true } }
            subscription.finish()
        }
        var received: [UInt8] = []
        while let chunk = await subscription.next() {
            received.append(chunk.bytes[0])
            try? await Task.sleep(for: .microseconds(200))
        }
        await publisher.value
        #expect(received == (0..<400).map { UInt8($0 % 256) })
    }

    /// A client that reads nothing holds at most its budget: the output waits for it while the process
    /// runs; once it has exited, the rest is queued up to twice the budget and then dropped.
    @Test func aStalledClientHoldsTheOutputUntilTheProcessExits() async throws {
        let subscription = OutputSubscription(budget: 256 << 10, recheck: .milliseconds(50))
        let exited = Atomic<Bool>(false)
        let published = Atomic<Bool>(false)
        let publisher = Task {
            for _ in 0..<100 { await subscription.offer(Self.chunk(32 << 10)) { !exited.load(ordering: .relaxed) } }
            published.store(true, ordering: .relaxed)
        }
        try await Task.sleep(for: .milliseconds(300))
        let waitedWhileRunning = !published.load(ordering: .relaxed)
        #expect(waitedWhileRunning)
        exited.store(true, ordering: .relaxed)
        await publisher.value
        subscription.finish()
        var held = 0
        while let chunk = await subscription.next() { held += chunk.bytes.count }
        #expect(held == 512 << 10)
    }

    /// A hub's subscriber that went away (its stream dropped) is not waited for.
    @Test func aDroppedStreamIsNotWaitedFor() async {
        let hub = OutputHub()
        var stream: AsyncStream<OutputChunk>? = hub.subscribe()
        #expect(stream != nil)
        stream = nil
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<100 { await hub.publish(Self.chunk(64 << 10)) { true } }
        #expect(clock.now - started < .seconds(2))
    }

    /// A live hub subscriber ends with the run, after what was queued.
    @Test func finishAllEndsAfterTheQueuedOutput() async {
        let hub = OutputHub()
        let stream = hub.subscribe()
        await hub.publish(Self.chunk(10)) { true }
        await hub.publish(Self.chunk(20)) { true }
        hub.finishAll()
        var sizes: [Int] = []
        for await chunk in stream { sizes.append(chunk.bytes.count) }
        #expect(sizes == [10, 20])
    }
}
