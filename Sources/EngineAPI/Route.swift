import NIOHTTP1

/// One endpoint of the Engine API: a method and a path pattern such as `/containers/{id}/json`.
/// A parameter written `{name*}` takes one or more segments, for image names that contain slashes
/// (`/images/{name*}/json` matches `/images/127.0.0.1:5000/team/app:1/json`).
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
        let greedy = segments.firstIndex { $0.hasSuffix("*}") }
        guard greedy == nil ? path.count == segments.count : path.count >= segments.count else { return nil }
        let extra = path.count - segments.count
        var parameters: [String: String] = [:]
        var position = 0
        for (index, pattern) in segments.enumerated() {
            if index == greedy {
                let taken = path[position...(position + extra)]
                parameters[String(pattern.dropFirst().dropLast(2))] = taken.joined(separator: "/")
                position += extra + 1
            } else if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                parameters[String(pattern.dropFirst().dropLast())] = String(path[position])
                position += 1
            } else if pattern == path[position] {
                position += 1
            } else {
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
