/// An error raised by the HTTP server layer itself (binding, lifecycle, misuse of a streamed body).
///
/// Errors from NIO (e.g. `EADDRINUSE`) are kept in `cause`.
public struct HTTPServerError: Error, CustomStringConvertible {
    /// What went wrong, as an open set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// `start()` was called twice.
        public static let alreadyStarted = Code(description: "alreadyStarted")
        /// The server was shut down (before or while it started).
        public static let shutDown = Code(description: "shutDown")
        /// A listen address could not be bound or prepared.
        public static let bindFailed = Code(description: "bindFailed")
        /// The TLS certificates or key could not be loaded (``ServerTLS``).
        public static let tlsSetupFailed = Code(description: "tlsSetupFailed")
        /// A streamed body was written after its producer returned.
        public static let responseFinished = Code(description: "responseFinished")
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause {
            return "\(self.message): \(cause)"
        }
        return self.message
    }
}
