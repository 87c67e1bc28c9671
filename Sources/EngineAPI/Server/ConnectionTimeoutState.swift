/// Which timer a connection runs, from what it has seen: the state machine behind ``ConnectionTimer``.
///
/// A new connection waits for its first request head under the head timer (Go starts its
/// `ReadHeaderTimeout` when it starts reading a request, which for a new connection is at once). Once a
/// head is complete no timer runs until every request read so far has been answered; the connection is
/// then idle, under the idle timer, until the first byte of the next request restarts the head timer.
/// Bytes that trickle in never restart a running head timer. After ``stop()`` (a hijacked connection) no
/// timer runs again.
struct ConnectionTimeoutState: Equatable {
    enum Timer: Equatable {
        case head
        case idle
    }

    enum Action: Equatable {
        /// Start `Timer`, replacing any running one.
        case start(Timer)
        /// Cancel the running timer.
        case cancel
        case none
    }

    private enum Phase: Equatable {
        /// Waiting for (the rest of) a request head.
        case readingHead
        /// Requests are being read, handled or answered.
        case busy
        /// A keep-alive connection between requests.
        case idle
        case stopped
    }

    private var phase = Phase.readingHead
    /// Requests whose head arrived and whose response has not ended.
    private var unanswered = 0

    /// The connection is open: its first request head is awaited.
    mutating func start() -> Action {
        self.phase == .readingHead ? .start(.head) : .none
    }

    /// Bytes arrived from the client.
    mutating func bytesArrived() -> Action {
        guard self.phase == .idle else { return .none }
        self.phase = .readingHead
        return .start(.head)
    }

    /// A request head was decoded.
    mutating func headArrived() -> Action {
        guard self.phase != .stopped else { return .none }
        self.unanswered += 1
        guard self.phase != .busy else { return .none }
        self.phase = .busy
        return .cancel
    }

    /// A response was written to its end.
    mutating func responseEnded() -> Action {
        guard self.phase != .stopped else { return .none }
        self.unanswered = max(self.unanswered - 1, 0)
        return self.unanswered == 0 ? self.becomeIdle() : .none
    }

    /// Every byte read so far was a request answered without the codec (``ImmediateResponseHandler``).
    mutating func answeredWithoutCodec() -> Action {
        guard self.phase == .readingHead, self.unanswered == 0 else { return .none }
        return self.becomeIdle()
    }

    /// The connection is no longer HTTP (hijacked) or is closing: no timer from now on.
    mutating func stop() -> Action {
        guard self.phase != .stopped else { return .none }
        self.phase = .stopped
        return .cancel
    }

    private mutating func becomeIdle() -> Action {
        self.phase = .idle
        return .start(.idle)
    }
}
