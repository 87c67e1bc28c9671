import Logging
import Messages
import Supervision

/// The `api` child: the HTTP front. It binds the listeners, declares itself ready, and serves until it
/// is stopped, when it stops accepting and drains the requests in flight. It holds no subsystem state:
/// every request is decoded, forwarded to a child through `Subsystems`, and encoded.
public actor APIChild: SupervisedChild {
    public typealias EnvironmentFactory = @Sendable (ChildContext, Supervisor) -> APIEnvironment

    private let addresses: [ListenAddress]
    private let drainTimeout: Duration
    private let makeEnvironment: EnvironmentFactory

    public init(addresses: [ListenAddress], drainTimeout: Duration, makeEnvironment: @escaping EnvironmentFactory) {
        self.addresses = addresses
        self.drainTimeout = drainTimeout
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
            addresses: addresses, responder: EngineRouter(environment: environment), logger: context.logger, bodySpooling: spooling)
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
