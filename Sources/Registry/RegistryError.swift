/// The one error the `Registry` module throws: a category (`code`) the caller maps to its own errors,
/// a message written for the person who ran `docker pull`/`push`/`login`, and the underlying error
/// when there is one.
///
/// Messages follow the docker CLI where it has a wording, e.g.
/// `pull access denied for 127.0.0.1:5000/bb, repository does not exist or may require 'docker login': …`,
/// `manifest for 127.0.0.1:5000/bb:2 not found: manifest unknown`,
/// `digest mismatch for sha256:…: got sha256:…`.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// A category of registry failure. An open set: more codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String

        public init(_ name: String) { self.name = name }

        public var description: String { name }

        /// The registry refused the credentials (or their absence), or denied access (HTTP 401/403).
        public static let unauthorized = Code("unauthorized")
        /// The repository, manifest or blob does not exist (HTTP 404).
        public static let notFound = Code("notFound")
        /// Content did not match its digest, or a digest is malformed or of an unsupported algorithm.
        public static let invalidDigest = Code("invalidDigest")
        /// The registry could not be reached, or answered 429 or 5xx.
        public static let unavailable = Code("unavailable")
        /// The registry answered something this client does not understand.
        public static let protocolError = Code("protocolError")
        /// A manifest or token response was larger than this client accepts.
        public static let tooLarge = Code("tooLarge")
        /// A local file could not be read or written.
        public static let io = Code("io")
        /// A registry host, repository name, reference or file given to the client is not valid.
        public static let invalidArgument = Code("invalidArgument")
    }

    public var code: Code
    public var message: String
    /// The HTTP status the registry answered, when the error comes from a response.
    public var status: Int?
    /// The error underneath, e.g. a connection failure.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, status: Int? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.cause = cause
    }

    public var description: String { message }
}
