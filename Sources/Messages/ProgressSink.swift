import Synchronization

/// Where a long operation (pull, push, load, build) reports its progress; the HTTP front streams it to
/// the client, and what the client has not read yet waits here, bounded.
///
/// Two ways in, both bounded by ``limit`` (an estimate of the encoded bytes waiting):
/// - ``send(_:)`` waits while the client is that far behind, so the operation waits with it (dockerd's
///   writers block the same way). Build output goes this way: none of it may be lost.
/// - ``yield(_:)`` never waits, for producers that must not (a download's progress callback). Past the
///   limit, a progress-bar line (an `id` and a `current`) replaces the waiting line of its layer when that
///   is a bar of the same status, since a client only shows a layer's latest bar; other lines (status
///   changes, one or a few per layer) are kept. What waits is then bounded by the operation's layers, not
///   by its length.
/// A reader that reads every line as it comes gets every line, in order.
public final class ProgressSink: Sendable {
    /// How many bytes of lines may wait before ``send(_:)`` waits and ``yield(_:)`` coalesces.
    public let limit: Int
    private let state: Mutex<State>

    private struct State {
        let limit: Int
        var lines = WaitingQueue<ProgressLine>()
        var bytes = 0
        var finished = false
        /// The reader has gone: lines are dropped and nothing waits any more.
        var closed = false
        var reader: CheckedContinuation<ProgressLine?, Never>?
        var senders: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextSender = 0

        /// Whether ``send(_:)`` waits: lines wait, and at least ``limit`` bytes of them.
        var isFull: Bool { !lines.isEmpty && bytes >= limit }
    }

    public init(limit: Int = 64 << 10) {
        self.limit = limit
        self.state = Mutex(State(limit: limit))
    }

    /// A sink whose lines go nowhere (a quiet build's pulls).
    public static func discarding() -> ProgressSink {
        let sink = ProgressSink()
        sink.close()
        return sink
    }

    /// Adds a line without waiting; past the limit a progress bar replaces its layer's waiting bar.
    public func yield(_ line: ProgressLine) {
        let reader = state.withLock { state -> CheckedContinuation<ProgressLine?, Never>? in
            guard !state.closed, !state.finished else { return nil }
            if let reader = state.reader {
                state.reader = nil
                return reader
            }
            if state.isFull, line.id != nil, line.current != nil, let index = Self.waitingBar(for: line, in: state) {
                state.bytes += Self.size(line) - Self.size(state.lines[index])
                state.lines[index] = line
                return nil
            }
            state.lines.append(line)
            state.bytes += Self.size(line)
            return nil
        }
        reader?.resume(returning: line)
    }

    /// Adds a line once fewer than ``limit`` bytes wait (at once when the reader is waiting for one);
    /// returns without it when the task is cancelled or the reader has gone.
    public func send(_ line: ProgressLine) async {
        while true {
            let id = state.withLock { state -> Int? in
                guard state.isFull, !state.closed, !state.finished else { return nil }
                state.nextSender += 1
                return state.nextSender
            }
            guard let id else { break }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let wait = state.withLock { state -> Bool in
                        guard state.isFull, !state.closed, !Task.isCancelled else { return false }
                        state.senders.append((id, continuation))
                        return true
                    }
                    if !wait { continuation.resume() }
                }
            } onCancel: {
                let waiting = state.withLock { state in
                    state.senders.firstIndex { $0.id == id }.map { state.senders.remove(at: $0).continuation }
                }
                waiting?.resume()
            }
            if Task.isCancelled { return }
        }
        yield(line)
    }

    /// No more lines: the reader gets those waiting, then the end.
    public func finish() {
        let reader = state.withLock { state -> CheckedContinuation<ProgressLine?, Never>? in
            state.finished = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume(returning: nil)
    }

    /// The next line, waiting for one; nil once the sink is finished and read to its end, or closed. One
    /// reader at a time.
    public func next() async -> ProgressLine? {
        await withCheckedContinuation { continuation in
            let (line, ended, released) = state.withLock { state -> (ProgressLine?, Bool, [CheckedContinuation<Void, Never>]) in
                guard !state.closed else { return (nil, true, []) }
                guard let line = state.lines.popFirst() else {
                    if state.finished { return (nil, true, []) }
                    state.reader = continuation
                    return (nil, false, [])
                }
                state.bytes -= Self.size(line)
                guard !state.isFull else { return (line, false, []) }
                defer { state.senders = [] }
                return (line, false, state.senders.map(\.continuation))
            }
            for sender in released { sender.resume() }
            if let line { continuation.resume(returning: line) } else if ended { continuation.resume(returning: nil) }
        }
    }

    /// The reader has gone: waiting lines are dropped, later ones too, and no sender waits any more.
    public func close() {
        let (reader, senders) = state.withLock { state in
            state.closed = true
            state.lines.removeAll()
            state.bytes = 0
            defer { (state.reader, state.senders) = (nil, []) }
            return (state.reader, state.senders.map(\.continuation))
        }
        reader?.resume(returning: nil)
        for sender in senders { sender.resume() }
    }

    /// How many bytes of lines wait for the reader (an estimate of their encoding).
    public var waitingBytes: Int { state.withLock { $0.bytes } }

    /// How many lines wait for the reader.
    public var waitingLines: Int { state.withLock { $0.lines.count } }

    /// The index of the waiting line `line` may replace: its layer's last waiting line, when that is a
    /// progress bar of the same status.
    private static func waitingBar(for line: ProgressLine, in state: State) -> Int? {
        guard let index = state.lines.lastIndex(where: { $0.id == line.id }) else { return nil }
        let waiting = state.lines[index]
        return waiting.current != nil && waiting.status == line.status && waiting.aux == nil ? index : nil
    }

    /// About the length of the line's JSON encoding.
    private static func size(_ line: ProgressLine) -> Int {
        64 + line.status.utf8.count + (line.id?.utf8.count ?? 0) + (line.stream?.utf8.count ?? 0)
            + (line.aux?.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 } ?? 0)
    }
}
