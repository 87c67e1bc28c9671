import Supervision

/// How long the `plugins` child waits for legacy plugins.
///
/// A plugin that cannot be reached (no socket or spec file yet, connection refused) may be starting or
/// restarting, so it is tried again after `backoff`'s delays until the next delay would overrun the
/// budget: `activation` for a plugin this incarnation has not activated yet, `reconnection` for one
/// that answered before. A plugin that accepts a request but does not answer within `reply` is not
/// tried again: the request may be in progress.
///
/// With the defaults (delays 0.1 s doubling up to 2 s, with up to 20 % jitter):
///
/// | try | delay before it | elapsed (no jitter) | within             |
/// |-----|----------------:|--------------------:|--------------------|
/// | 1   |              —  |               0 s   | both budgets       |
/// | 2   |          0.1 s  |             0.1 s   | both budgets       |
/// | 3   |          0.2 s  |             0.3 s   | both budgets       |
/// | 4   |          0.4 s  |             0.7 s   | both budgets       |
/// | 5   |          0.8 s  |             1.5 s   | both budgets       |
/// | 6   |          1.6 s  |             3.1 s   | `activation` (8 s) |
/// | 7   |          2.0 s  |             5.1 s   | `activation`       |
/// | 8   |          2.0 s  |             7.1 s   | `activation`       |
public struct PluginTimeouts: Sendable {
    /// How long a plugin not activated yet is waited for.
    public var activation: Duration
    /// How long an activated plugin that stopped accepting connections is waited for.
    public var reconnection: Duration
    /// How long one request may take, connecting included.
    public var reply: Duration
    /// The delays between tries (its `resetAfter` is not used).
    public var backoff: Backoff

    public init(
        activation: Duration = .seconds(8), reconnection: Duration = .seconds(3), reply: Duration = .seconds(30),
        backoff: Backoff = Backoff(initial: .milliseconds(100), multiplier: 2, cap: .seconds(2), jitter: 0.2)
    ) {
        self.activation = activation
        self.reconnection = reconnection
        self.reply = reply
        self.backoff = backoff
    }
}
