import NIOHTTP1

/// The Engine API endpoints berthd does not serve yet (501, so clients say so plainly; the routes that
/// are served come first in `EngineRouter`) and swarm (503, the
/// answer of a daemon that is not a swarm node, which clients expect).
enum UnbuiltRoutes {
    static let notImplemented = [
        "containers", "images", "exec", "build", "commit", "auth", "distribution", "session", "grpc",
    ]
    static let swarm = ["swarm", "nodes", "services", "tasks", "secrets", "configs"]

    static let all: [Route] = (1...6).flatMap { depth in
        notImplemented.map { area in prefixRoute(area, depth: depth) { _ in
            throw EngineErrorResponse(status: .notImplemented, message: "\(area) endpoints are not implemented by berthd yet")
        } } + swarm.map { area in prefixRoute(area, depth: depth) { _ in
            throw EngineErrorResponse(
                status: .serviceUnavailable,
                message: "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")
        } }
    }

    /// `/area`, `/area/{p1}`, … up to `depth` segments, for every method.
    private static func prefixRoute(_ area: String, depth: Int, handler: @escaping Route.Handler) -> Route {
        let path = "/" + ([area] + (1..<depth).map { "{p\($0)}" }).joined(separator: "/")
        return Route(.GET, .POST, .PUT, .DELETE, .HEAD, path: path, handler: handler)
    }
}
