import Messages
import Testing

/// What a long operation's progress may hold of berthd while its client does not read (issue 18).
@Suite struct ProgressSinkTests {
    /// A pull's progress callback cannot wait: past the limit, each layer keeps only its latest bar, and
    /// the status changes stay, in order.
    @Test func barsCoalescePerLayerBehindANonReadingClient() async {
        let sink = ProgressSink(limit: 4096)
        let layers = ["a1", "b2", "c3"]
        for id in layers { sink.yield(ProgressLine(status: "Pulling fs layer", id: id)) }
        for done in 1...100_000 {
            let id = layers[done % 3]
            if id == "a1" && done > 90_000 { continue }
            sink.yield(ProgressLine(status: "Downloading", id: id, current: Int64(done), total: 100_000))
            if done == 90_000 { sink.yield(ProgressLine(status: "Download complete", id: "a1")) }
        }
        #expect(sink.waitingBytes < 4096 + 4 * 256)
        sink.finish()
        var lines: [ProgressLine] = []
        while let line = await sink.next() { lines.append(line) }
        // The last bar of each layer arrives, and a1's completion after a1's bars.
        #expect(lines.last { $0.id == "b2" }?.current == 100_000)
        #expect(lines.last { $0.id == "c3" }?.current == 99_998)
        let complete = lines.firstIndex { $0.status == "Download complete" }
        let a1Bars = lines.indices.filter { lines[$0].id == "a1" && lines[$0].status == "Downloading" }
        #expect(complete != nil && a1Bars.allSatisfy { $0 < complete! } && lines.last { $0.id == "a1" }?.status == "Download complete")
        #expect(lines.count(where: { $0.status == "Pulling fs layer" }) == 3)
    }

    /// A reader that keeps up gets every line, in order.
    @Test func aReaderThatKeepsUpGetsEveryLine() async {
        let sink = ProgressSink(limit: 256)
        let producer = Task {
            for index in 0..<2000 { await sink.send(ProgressLine(stream: "line \(index)\n")) }
            sink.finish()
        }
        var received: [String] = []
        while let line = await sink.next() { received.append(line.stream ?? "") }
        await producer.value
        #expect(received == (0..<2000).map { "line \($0)\n" })
    }

    /// Build output waits for the client: the sender stops at the limit and goes on as the reader reads.
    @Test func sendWaitsAtTheLimit() async throws {
        let sink = ProgressSink(limit: 4096)
        let chunk = String(repeating: "x", count: 1000)
        let producer = Task {
            for _ in 0..<1000 { await sink.send(ProgressLine(stream: chunk)) }
            sink.finish()
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(sink.waitingBytes <= 4096 + 1100)
        #expect(sink.waitingLines <= 5)
        var count = 0
        while await sink.next() != nil { count += 1 }
        await producer.value
        #expect(count == 1000)
    }

    /// A reader that goes away (the client disconnected) releases a waiting sender, and later lines are
    /// dropped; a cancelled sender returns too.
    @Test func closeAndCancellationReleaseSenders() async throws {
        let sink = ProgressSink(limit: 100)
        let blocked = Task {
            for _ in 0..<100 { await sink.send(ProgressLine(stream: String(repeating: "y", count: 100))) }
        }
        try await Task.sleep(for: .milliseconds(100))
        sink.close()
        await blocked.value
        #expect(sink.waitingLines == 0)
        #expect(await sink.next() == nil)

        let other = ProgressSink(limit: 100)
        let cancelled = Task {
            for _ in 0..<100 { await other.send(ProgressLine(stream: String(repeating: "z", count: 100))) }
        }
        try await Task.sleep(for: .milliseconds(100))
        cancelled.cancel()
        await cancelled.value
        #expect(other.waitingLines <= 2)
    }
}
