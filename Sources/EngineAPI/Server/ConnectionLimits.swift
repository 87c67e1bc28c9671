/// What one client may hold of the server: how long it may take to send a request head, how long a
/// keep-alive connection may sit idle between requests, and how many connections may be open at once.
///
/// Only the waiting for a request is timed: a request body, a response however long it streams
/// (`docker events`, `logs -f`, `wait`, a pull or a build) and a hijacked attach or exec are never cut.
/// dockerd (Go's `http.Server`) has a 5-minute `ReadHeaderTimeout`, no idle timeout and no connection cap;
/// berthd's defaults are tighter and documented in the README.
public struct ConnectionLimits: Sendable, Hashable {
    /// From the first byte of a request (for a new connection: from its accept) until its head is complete;
    /// a client that takes longer is disconnected without an answer, as Go does.
    public var readHeaderTimeout: Duration
    /// How long a keep-alive connection may wait for its next request after a response has been sent.
    public var idleTimeout: Duration
    /// The most connections open at once, over all listeners; one more is answered `503` and closed,
    /// and the open ones are not touched.
    public var maxConnections: Int

    public init(readHeaderTimeout: Duration, idleTimeout: Duration, maxConnections: Int) {
        self.readHeaderTimeout = readHeaderTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// 60 s to send a head, 180 s idle, 1000 connections.
    public static let defaults = ConnectionLimits(readHeaderTimeout: .seconds(60), idleTimeout: .seconds(180), maxConnections: 1000)
}
