/// A `HEALTHCHECK` instruction, in the shape of the image config's `Healthcheck`.
public struct Healthcheck: Sendable, Equatable {
    /// `["NONE"]`, `["CMD", args...]` (JSON form) or `["CMD-SHELL", command]` (shell form).
    public var test: [String]
    /// Nanoseconds; nil when the flag is absent or empty.
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    /// At least 1 when given.
    public var retries: Int?

    public init(
        test: [String], interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil, retries: Int? = nil
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.retries = retries
    }
}
