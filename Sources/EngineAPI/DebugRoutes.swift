import Foundation
import Messages
import NIOHTTP1
import Supervision

/// `/debug/supervision`, `/debug/faults` (only with `--fault-injection`) and `/metrics`.
enum DebugRoutes {
    static let all: [Route] = [
        Route(.GET, path: "/debug/supervision", handler: supervision),
        Route(.POST, path: "/debug/faults", handler: injectFault),
        Route(.DELETE, path: "/debug/faults", handler: clearFaults),
        Route(.GET, path: "/metrics", handler: metrics),
    ]

    static func supervision(_ context: RequestContext) async throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return .json(data: try encoder.encode(await context.environment.supervisor.snapshot()))
    }

    /// The body of `POST /debug/faults`.
    struct FaultRequest: Decodable {
        var child: String
        var fault: String
        var count: Int?
        var ms: Int?
    }

    static func injectFault(_ context: RequestContext) async throws -> HTTPResponse {
        try await requireFaultInjection(context)
        // berthd's own endpoint, driven by scripts: its body is JSON whatever it is declared as (`curl -d`
        // declares form encoding), unlike the Engine API's, which must say `application/json`.
        let request = try HTTPRequest.decodeJSON(FaultRequest.self, from: Data(context.request.body.readableBytesView))
        let fault: Fault
        switch request.fault {
        case "crash": fault = .crash
        case "fail-start": fault = .failStart(count: request.count ?? 1)
        case "hang": fault = .hang
        case "delay": fault = .delay(min(.milliseconds(request.ms ?? 1000), .longestWait))
        default:
            throw EngineErrorResponse(status: .badRequest, message: "unknown fault \(request.fault): use crash, fail-start, hang or delay")
        }
        try await context.environment.supervisor.inject(fault, into: request.child)
        context.environment.logger.warning("injected fault", metadata: ["child": "\(request.child)", "fault": "\(request.fault)"])
        return .json(["child": .string(request.child), "fault": .string(request.fault)], status: .accepted)
    }

    static func clearFaults(_ context: RequestContext) async throws -> HTTPResponse {
        try await requireFaultInjection(context)
        context.environment.supervisor.faults.clear()
        return .empty(.noContent)
    }

    /// Without `--fault-injection`, the fault endpoints do not exist.
    private static func requireFaultInjection(_ context: RequestContext) async throws {
        guard context.environment.config.current.faultInjection else {
            throw EngineErrorResponse(status: .notFound, message: "page not found")
        }
    }

    static func metrics(_ context: RequestContext) async throws -> HTTPResponse {
        let environment = context.environment
        let containers = try? await environment.subsystems.containers.ask { try await $0.counts() }
        let driver = (try? await environment.subsystems.graphdriver.ask { try await $0.status() })?.driver ?? ""
        let text = MetricsDocument.make(
            facts: environment.facts, tree: await environment.supervisor.snapshot(), containers: containers, driver: driver,
            events: await environment.events.publishedCount(), subscribers: await environment.events.subscriberCount(),
            registry: environment.metrics.registry.emitToString())
        return .text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
