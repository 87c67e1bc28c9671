import Logging
import Messages
import Supervision

/// The `api` child: the HTTP front. It starts accepting on its addresses (berthd hands it the listening
/// sockets it bound once, as `.fd` addresses, so they outlive every incarnation), declares itself ready,
/// and serves until it is stopped, when it stops accepting and drains the requests in flight: within
/// `drainTimeout` plus ``HTTPServer/forcedCloseGrace``, whatever the requests do. It holds no subsystem state:
/// every request is decoded, forwarded to a child through `Subsystems`, and encoded.
public actor APIChild: SupervisedChild {
    public typealias EnvironmentFactory = @Sendable (ChildContext, Supervisor) -> APIEnvironment

    private let addresses: [ListenAddress]
    private let drainTimeout: Duration
    private let limits: ConnectionLimits
    private let tls: ServerTLS?
    private let socketGroup: UInt32?
    private let makeEnvironment: EnvironmentFactory

    /// - Parameters: `limits`, `tls`, `socketGroup`: as ``HTTPServer/init(addresses:responder:logger:eventLoopGroup:maxRequestBodySize:bodySpooling:limits:tls:socketGroup:)`` takes them.
    public init(
        addresses: [ListenAddress], drainTimeout: Duration, limits: ConnectionLimits = .defaults, tls: ServerTLS? = nil,
        socketGroup: UInt32? = nil, makeEnvironment: @escaping EnvironmentFactory
    ) {
        self.addresses = addresses
        self.drainTimeout = drainTimeout
        self.limits = limits
        self.tls = tls
        self.socketGroup = socketGroup
        self.makeEnvironment = makeEnvironment
    }

    public func run(_ context: ChildContext) async throws {
        guard let supervisor = context.supervisor else { return }
        let environment = makeEnvironment(context, supervisor)
        let spooling = BodySpooling(directory: environment.config.current.dataRoot + "/tmp") { method, path in
            (method == .POST && (path.hasSuffix("/images/load") || path.hasSuffix("/images/create") || path.hasSuffix("/build")))
                || (method == .PUT && path.hasSuffix("/archive"))
        }
        let server = HTTPServer(
            addresses: addresses, responder: EngineRouter(environment: environment), logger: context.logger, bodySpooling: spooling,
            limits: limits, tls: tls, socketGroup: socketGroup)
        try await server.start()
        context.report(["listeners": await server.boundAddresses.map(\.description).joined(separator: " ")])
        context.ready()
        let drainTimeout = self.drainTimeout
        let stopping = OneShot<Void>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await server.waitUntilClosed()
                if stopping.peek == nil { throw APIChildError.listenersClosed }
            }
            group.addTask {
                await context.untilStopped()
                stopping.fulfill(())
                await server.shutdown(drainTimeout: drainTimeout)
            }
            try await group.next()
            stopping.fulfill(())
            group.cancelAll()
            await server.shutdown(drainTimeout: drainTimeout)
        }
    }
}

enum APIChildError: Error, CustomStringConvertible {
    case listenersClosed
    var description: String { "the API listeners closed unexpectedly" }
}
