import NIOHTTP1

/// One endpoint of the Engine API: a method and a path pattern such as `/containers/{id}/json`.
struct Route: Sendable {
    typealias Handler = @Sendable (RequestContext) async throws -> HTTPResponse

    let methods: [HTTPMethod]
    let segments: [Substring]
    let handler: Handler

    init(_ methods: HTTPMethod..., path: String, handler: @escaping Handler) {
        self.methods = methods
        self.segments = path.split(separator: "/")
        self.handler = handler
    }

    /// The path parameters when `path` matches the pattern (ignoring the method), else `nil`.
    func match(_ path: [Substring]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, actual) in zip(segments, path) {
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                parameters[String(pattern.dropFirst().dropLast())] = String(actual)
            } else if pattern != actual {
                return nil
            }
        }
        return parameters
    }
}

/// What a handler is given: the request, the negotiated version and the path parameters.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let version: APIVersion
    let parameters: [String: String]
    let environment: APIEnvironment
}
