import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Supervision

/// The HTTP/1.1 server of the API front: listens on unix, tcp and inherited sockets and hands every request
/// to an ``HTTPResponder``.
///
/// What it does: keep-alive (and HTTP/1.0 close), in-order answers to pipelined requests, `HEAD` without a
/// body, `Expect: 100-continue`, bounded request bodies (413 above the limit), selected request bodies
/// spooled to files as they arrive (``BodySpooling``), 400 for malformed requests, chunked streamed
/// responses that are cancelled when the client goes away, the `101 UPGRADED` hijack of attach and exec
/// (``HijackedConnection``), TLS on tcp listeners (``ServerTLS``), bounds on what one client holds
/// (``ConnectionLimits``: head and idle timeouts, a cap on open connections; a streamed response waits
/// for a slow reader instead of buffering), and a graceful shutdown.
/// What it does not do: routing or API versions.
///
/// Concurrency: ``start()`` spawns one task (not detached) that owns everything else as structured children:
/// one per listener, one per connection under it, and one per streamed body or hijack under its connection.
/// The responder runs on its connection's task, so a slow responder holds only its own connection.
public actor HTTPServer {
    /// The default bound on a request body: 64 MiB.
    public static let defaultMaxRequestBodySize = 64 << 20

    private enum Phase {
        case idle
        case starting
        case running
        case stopping
        case closed
    }

    private let addresses: [ListenAddress]
    private let logger: Logger
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let context: HTTPConnection.Context
    private var phase = Phase.idle
    private var listeners: [HTTPListener] = []
    private var serveTask: Task<Void, Never>?
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    /// Makes a server; nothing is bound before ``start()``.
    ///
    /// - Parameters:
    ///   - maxRequestBodySize: the largest request body collected in memory; a larger one gets 413.
    ///   - bodySpooling: which request bodies are written to a file instead, with their own limit; nil
    ///     keeps every body in memory. The files are written on NIO's blocking thread pool
    ///     (`NIOThreadPool.singleton`).
    ///   - limits: the timeouts and the connection cap.
    ///   - tls: the TLS of tcp listeners (and inherited tcp sockets); nil serves plain HTTP.
    ///   - socketGroup: the group id given to the unix sockets the server creates; nil keeps the process's.
    public init(
        addresses: [ListenAddress],
        responder: any HTTPResponder,
        logger: Logger,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        maxRequestBodySize: Int = HTTPServer.defaultMaxRequestBodySize,
        bodySpooling: BodySpooling? = nil,
        limits: ConnectionLimits = .defaults,
        tls: ServerTLS? = nil,
        socketGroup: UInt32? = nil
    ) {
        self.addresses = addresses
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.context = HTTPConnection.Context(
            responder: responder,
            registry: ConnectionRegistry(),
            maxRequestBodySize: maxRequestBodySize,
            bodySpooling: bodySpooling,
            threadPool: .singleton,
            logger: logger,
            limits: limits,
            tls: tls,
            socketGroup: socketGroup
        )
    }

    /// The addresses actually bound (a tcp port 0 replaced by the real port); empty before ``start()``.
    public var boundAddresses: [ListenAddress] {
        self.listeners.map(\.address)
    }

    /// The number of requests being handled, streamed responses included.
    public var inFlight: Int {
        self.context.registry.inFlight
    }

    /// Binds every address and starts accepting; returns once all of them accept connections.
    ///
    /// A stale unix socket file is removed first (a file of another type is an error) and the new socket gets
    /// the requested mode. On any failure what was bound is closed again, the server ends up closed, and
    /// an ``HTTPServerError`` is thrown: `bindFailed` (NIO's error in `cause`), `alreadyStarted`, or
    /// `shutDown` when ``shutdown(drainTimeout:)`` was called meanwhile.
    public func start() async throws {
        guard case .idle = self.phase else {
            throw HTTPServerError(code: .alreadyStarted, message: "the http server was already started")
        }
        self.phase = .starting
        var bound: [HTTPListener] = []
        do {
            for address in self.addresses {
                bound.append(try await HTTPListener.bind(address, group: self.eventLoopGroup, context: self.context))
                guard case .starting = self.phase else {
                    throw HTTPServerError(code: .shutDown, message: "the http server was shut down while starting")
                }
            }
        } catch {
            for listener in bound {
                await listener.close()
                listener.removeSocketFile()
            }
            self.finishClosing()
            throw error
        }

        self.listeners = bound
        self.phase = .running
        let context = self.context
        self.serveTask = Task {
            await Self.serve(bound, context: context)
            self.servingEnded()
        }
        self.logger.info("start http server", metadata: ["addresses": "\(bound.map(\.address.description))"])
    }

    /// Shuts the server down, gracefully, and returns once it is closed. Idempotent: a second call waits
    /// for the first.
    ///
    /// In order: the listeners stop accepting and the unix socket files this server created are removed
    /// (NIO unlinks them when it closes the socket; an inherited `fd` socket's file is left alone); idle
    /// keep-alive connections are closed; streamed responses and hijacked connections are cancelled (their
    /// producer's or closure's task is cancelled; if it then returns, the body is terminated properly, or the
    /// hijacked connection is flushed and closed); requests being handled may finish
    /// within `drainTimeout` and their connection closes after the response. When the time is up, every
    /// connection is closed and every task cancelled.
    ///
    /// A responder or producer that ignores cancellation delays the return by at most
    /// ``forcedCloseGrace`` past `drainTimeout`: its connection is closed and its task then abandoned (it
    /// ends on its own, with nobody to answer).
    public func shutdown(drainTimeout: Duration) async {
        switch self.phase {
        case .idle:
            self.finishClosing()
            return
        case .starting:
            self.phase = .stopping
            await self.waitUntilClosed()
            return
        case .stopping:
            await self.waitUntilClosed()
            return
        case .closed:
            return
        case .running:
            self.phase = .stopping
        }

        let registry = self.context.registry
        self.logger.info(
            "drain http server",
            metadata: ["inFlight": "\(registry.inFlight)", "drainTimeout": "\(drainTimeout)"]
        )
        for listener in self.listeners {
            await listener.close()
            listener.removeSocketFile()
        }
        registry.beginShutdown()
        if let serveTask = self.serveTask {
            await Self.drain(serveTask, registry: registry, timeout: drainTimeout, logger: self.logger)
        }
        self.finishClosing()
        self.logger.info("close http server")
    }

    /// Returns once the server is closed: after ``shutdown(drainTimeout:)``, a failed ``start()``, or if
    /// every listener failed.
    public func waitUntilClosed() async {
        guard case .closed = self.phase else {
            await withCheckedContinuation { self.closeWaiters.append($0) }
            return
        }
    }

    /// Runs every listener's accept loop; returns when all have ended along with their connections.
    private static func serve(_ listeners: [HTTPListener], context: HTTPConnection.Context) async {
        await withDiscardingTaskGroup { group in
            for listener in listeners {
                group.addTask {
                    await listener.acceptConnections(context: context)
                }
            }
        }
    }

    /// How long connections closed at the end of the drain time get to end before they are abandoned.
    public static let forcedCloseGrace: Duration = .seconds(2)

    /// Waits for the serving task to end, forcing it to after `timeout`: every connection is closed and
    /// every task cancelled; tasks that still run ``forcedCloseGrace`` later (a responder ignoring
    /// cancellation) are abandoned, their connections closed, so a shutdown always ends in bounded time.
    /// A cancelled caller still waits: cancellation does not shorten either time.
    private static func drain(
        _ serveTask: Task<Void, Never>,
        registry: ConnectionRegistry,
        timeout: Duration,
        logger: Logger
    ) async {
        if await Self.wait(for: serveTask, atMost: timeout) { return }
        logger.warning(
            "close connections after drain timeout",
            metadata: ["inFlight": "\(registry.inFlight)", "connections": "\(registry.connectionCount)"]
        )
        registry.closeAll()
        serveTask.cancel()
        if await Self.wait(for: serveTask, atMost: Self.forcedCloseGrace) { return }
        logger.error(
            "abandon requests that ignore cancellation; their connections are closed",
            metadata: ["inFlight": "\(registry.inFlight)", "grace": "\(Self.forcedCloseGrace)"]
        )
    }

    /// Whether `task` ended within `limit`; the wait is not cut short by the caller's cancellation.
    private static func wait(for task: Task<Void, Never>, atMost limit: Duration) async -> Bool {
        let ended = OneShot<Bool>()
        let waiter = Task {
            await task.value
            ended.fulfill(true)
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            ended.fulfill(false)
        }
        let result = await withCheckedContinuation { continuation in
            ended.onFulfill { continuation.resume(returning: $0) }
        }
        timer.cancel()
        if !result { waiter.cancel() }
        return result
    }

    /// Called by the serving task when it ends; on its own (not in a shutdown) that means every listener
    /// stopped accepting (after errors, already logged) or there were none.
    private func servingEnded() {
        guard case .running = self.phase else { return }
        self.logger.error(
            "close http server after its listeners stopped",
            metadata: ["listeners": "\(self.listeners.count)"]
        )
        self.context.registry.beginShutdown()
        for listener in self.listeners {
            listener.removeSocketFile()
        }
        self.finishClosing()
    }

    private func finishClosing() {
        self.phase = .closed
        let waiters = self.closeWaiters
        self.closeWaiters = []
        for waiter in waiters {
            waiter.resume()
        }
    }
}
