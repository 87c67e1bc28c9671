import Messages

/// What `GET /containers/{id}/logs` asks for. `timestamps` is not here: it only changes how each message
/// is sent (``LogMessage/responseBytes(timestamps:multiplexed:)``).
public struct LogReadOptions: Sendable, Hashable {
    public var stdout: Bool
    public var stderr: Bool
    /// Only entries at or after this instant.
    public var since: LogTimestamp?
    /// Only entries at or before this instant; a follower stops at the first entry past it.
    public var until: LogTimestamp?
    /// Only the last entries of the chosen streams, counted across rotated files; nil = all.
    public var tail: Int?
    /// After the existing entries, wait for new ones until the writer closes or the reader stops.
    public var follow: Bool

    public init(stdout: Bool = true, stderr: Bool = true, since: LogTimestamp? = nil, until: LogTimestamp? = nil, tail: Int? = nil, follow: Bool = false) {
        self.stdout = stdout
        self.stderr = stderr
        self.since = since
        self.until = until
        self.tail = tail
        self.follow = follow
    }

    /// The `tail` query parameter as dockerd reads it: a count; `all`, absent, negative or anything else
    /// means all.
    public static func tail(_ text: String?) -> Int? {
        text.flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The `since` or `until` query parameter: Unix seconds with an optional fraction; absent, empty or
    /// `0` means unset.
    public static func instant(_ text: String?) throws(EngineError) -> LogTimestamp? {
        guard let text, !text.isEmpty, text != "0" else { return nil }
        guard let instant = LogTimestamp(unixString: text) else {
            throw .invalidArgument("invalid timestamp '\(text)': expected Unix seconds with an optional fraction")
        }
        return instant
    }
}
