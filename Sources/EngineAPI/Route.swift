import NIOHTTP1

/// One endpoint of the Engine API: a method and a path pattern such as `/containers/{id}/json`.
/// A parameter written `{name*}` takes one or more segments, for image names that contain slashes
/// (`/images/{name*}/json` matches `/images/127.0.0.1:5000/team/app:1/json`).
struct Route: Sendable {
    typealias Handler = @Sendable (RequestContext) async throws -> HTTPResponse

    /// What one segment of a pattern matches.
    private enum Segment: Sendable {
        case literal(Substring)
        case parameter(String)
        /// `{name*}`: one or more segments.
        case rest(String)
    }

    let methods: [HTTPMethod]
    /// The pattern as written, without the version prefix (the route's label in metrics).
    let pattern: String
    private let segments: [Segment]
    private let takesRest: Bool
    let handler: Handler

    init(_ methods: HTTPMethod..., path: String, handler: @escaping Handler) {
        self.methods = methods
        self.pattern = path
        self.segments = path.split(separator: "/").map { text in
            if text.hasPrefix("{") && text.hasSuffix("*}") { return .rest(String(text.dropFirst().dropLast(2))) }
            if text.hasPrefix("{") && text.hasSuffix("}") { return .parameter(String(text.dropFirst().dropLast())) }
            return .literal(text)
        }
        self.takesRest = segments.contains { if case .rest = $0 { true } else { false } }
        self.handler = handler
    }

    /// The segments of a path as patterns match them: a trailing slash makes an empty last segment, which
    /// no pattern matches (`/containers/create/` is not `/containers/create`, as in dockerd's mux).
    static func segments(of path: String) -> [Substring] {
        Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
    }

    /// The path parameters when `path` matches the pattern (ignoring the method), else `nil`. A parameter
    /// matches a non-empty segment only.
    func match(_ path: [Substring]) -> [String: String]? {
        guard takesRest ? path.count >= segments.count : path.count == segments.count else { return nil }
        let extra = path.count - segments.count
        var parameters: [String: String] = [:]
        var position = 0
        for segment in segments {
            switch segment {
            case .literal(let text):
                guard text == path[position] else { return nil }
                position += 1
            case .parameter(let name):
                guard !path[position].isEmpty else { return nil }
                parameters[name] = String(path[position])
                position += 1
            case .rest(let name):
                let rest = path[position...(position + extra)].joined(separator: "/")
                guard !rest.isEmpty else { return nil }
                parameters[name] = rest
                position += extra + 1
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
