import NIOHTTP1

/// `/plugins…`, the managed-plugin API: berthd has no managed plugins (legacy plugins — sockets and
/// spec files in the plugin directories — are found without it), so the list is empty and the rest
/// say so.
enum PluginRoutes {
    static let all: [Route] = [
        Route(.GET, path: "/plugins", handler: { _ in .json([]) }),
        Route(.GET, path: "/plugins/{name}/json", handler: { context in
            throw EngineErrorResponse(status: .notFound, message: "plugin \"\(context.parameters["name"] ?? "")\" not found")
        }),
    ] + ["/plugins/privileges", "/plugins/pull", "/plugins/create", "/plugins/{name}/enable", "/plugins/{name}/disable",
         "/plugins/{name}/upgrade", "/plugins/{name}/push", "/plugins/{name}/set", "/plugins/{name}"].map { path in
        Route(.GET, .POST, .DELETE, path: path, handler: unsupported)
    }

    private static func unsupported(_ context: RequestContext) async throws -> HTTPResponse {
        throw EngineErrorResponse(
            status: .notImplemented,
            message: "managed plugins are not supported by berthd: run legacy plugins instead (a socket in /run/docker/plugins or a spec file in /etc/docker/plugins)")
    }
}
