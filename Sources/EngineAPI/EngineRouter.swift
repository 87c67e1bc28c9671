import Foundation
import Logging
import Messages
import NIOCore
import NIOHTTP1
import Supervision

/// The HTTP front's responder: strips the `/v1.xx` prefix, checks the version, finds the route and
/// turns every error into Docker's JSON error. It holds no subsystem state: handlers forward to the
/// children through `APIEnvironment.subsystems`.
struct EngineRouter: HTTPResponder {
    let routes: [Route]
    /// Answers for whole areas berthd does not serve yet, tried after ``routes`` only when no route has
    /// the path (a wrong method on a served path is a 405, not a 501).
    let fallbacks: [Route]
    let environment: APIEnvironment
    /// `/_ping`'s answer and its metrics, made once for ``immediateResponse(to:)``.
    private let ping: EncodedResponse
    private let pingGet: APIMetrics.RequestRecorder
    private let pingHead: APIMetrics.RequestRecorder

    init(environment: APIEnvironment) {
        self.environment = environment
        var ping = SystemRoutes.pingResponse()
        Self.addEngineHeaders(&ping, facts: environment.facts)
        // The ping response is plain text with constant headers: it always encodes.
        self.ping = EncodedResponse(ping)!
        pingGet = environment.metrics.recorder(method: .GET, route: "/_ping", status: ping.status.code)
        pingHead = environment.metrics.recorder(method: .HEAD, route: "/_ping", status: ping.status.code)
        routes = SystemRoutes.all + DebugRoutes.all + ImageRoutes.all + RegistryRoutes.all + ContainerRoutes.all + NetworkRoutes.all + VolumeRoutes.all
            + PluginRoutes.all + BuildRoutes.all
        fallbacks = UnbuiltRoutes.all
    }

    /// Answers a request as dockerd's mux and middlewares do, in their order: a path that is not clean is
    /// redirected to its clean form (`301`, nothing runs); a query with a malformed escape, an unknown path
    /// (`404`) or a wrong method (`405`) is refused without asking the authorization plugins; then the
    /// plugins judge the request as it will run (see ``AuthorizationGate``) before its handler does.
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        var response: HTTPResponse
        var routeName = "unmatched"
        do {
            if request.cleanPath != request.path {
                response = .empty(.movedPermanently)
                response.headers.add(name: "Location", value: request.cleanLocation)
            } else {
                if let malformed = request.malformedQueryEscape { throw malformed }
                let (version, path) = try APIVersion.split(path: request.path)
                let segments = Route.segments(of: path)
                guard let (route, parameters) = route(for: request.method, segments: segments) else { throw notFound(path: path, segments: segments) }
                routeName = route.pattern
                let gate = AuthorizationGate(environment: environment)
                let authorization = try gate.request(request, route: route)
                if let authorization { try await gate.check(authorization) }
                let context = RequestContext(request: request, version: version, parameters: parameters, environment: environment)
                response = try await Self.answer(request.method) { try await route.handler(context) }
                if let authorization { response = await gate.check(response, to: authorization) }
            }
        } catch {
            response = .error(ErrorMapping.response(for: error))
            if response.status.code >= 500 {
                environment.logger.warning(
                    "failed to answer request",
                    metadata: ["method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status.code)", "error": "\(error)"])
            }
        }
        Self.addEngineHeaders(&response, facts: environment.facts)
        environment.metrics.requestFinished(method: request.method, route: routeName, status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }

    /// `/_ping`, answered on the event loop when no authorization plugin has to see it: its answer is
    /// constant. The server offers only bodiless `GET` and `HEAD` requests here.
    func immediateResponse(to request: HTTPRequest) -> EncodedResponse? {
        let started = ContinuousClock.now
        guard environment.config.read({ $0.authorizationPlugins.isEmpty }),
            let (_, path) = try? APIVersion.split(path: request.path), path == "/_ping"
        else { return nil }
        (request.method == .HEAD ? pingHead : pingGet).record(ContinuousClock.now - started)
        return ping
    }

    /// Runs a handler. A read (`GET`, `HEAD`) whose child's incarnation ended under it runs once more: the
    /// second try waits for the next incarnation, so a crash does not show to readers. A write is not
    /// repeated, since it may have taken effect: it answers 503.
    private static func answer(_ method: HTTPMethod, _ handler: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await handler()
        } catch SupervisionError.childTerminated where method == .GET || method == .HEAD {
            return try await handler()
        }
    }

    /// The headers dockerd puts on every response.
    private static func addEngineHeaders(_ response: inout HTTPResponse, facts: DaemonFacts) {
        response.headers.replaceOrAdd(name: "Api-Version", value: APIVersion.current.description)
        response.headers.replaceOrAdd(name: "Docker-Experimental", value: "false")
        response.headers.replaceOrAdd(name: "Ostype", value: "linux")
        response.headers.replaceOrAdd(name: "Server", value: "Berth/\(facts.version) (linux)")
    }

    /// The route that serves `method` on the path, with its parameters: a fallback only when no route has
    /// the path. `HEAD` is served by `GET` routes.
    private func route(for method: HTTPMethod, segments: [Substring]) -> (Route, [String: String])? {
        func first(in routes: [Route]) -> (Route, [String: String])? {
            routes.lazy.compactMap { route in route.match(segments).map { (route, $0) } }
                .first { $0.0.methods.contains(method) || (method == .HEAD && $0.0.methods.contains(.GET)) }
        }
        if let served = first(in: routes) { return served }
        return routes.contains { $0.match(segments) != nil } ? nil : first(in: fallbacks)
    }

    /// A 404 for an unknown path, or a 405 when the path exists for another method.
    private func notFound(path: String, segments: [Substring]) -> EngineErrorResponse {
        if routes.contains(where: { $0.match(segments) != nil }) {
            return EngineErrorResponse(status: .methodNotAllowed, message: "method not allowed for \(path)")
        }
        return EngineErrorResponse(status: .notFound, message: "page not found")
    }
}
