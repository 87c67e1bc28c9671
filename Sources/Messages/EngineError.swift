/// The one error type that crosses child boundaries. Its `code` is a category that the HTTP front maps
/// to a status in one place; its `message` is what the client prints.
public struct EngineError: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    /// An open set of error categories (`.notFound`, `.invalidArgument`, …).
    public struct Code: RawRepresentable, Sendable, Codable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidArgument = Code(rawValue: "invalid-argument")
        public static let notFound = Code(rawValue: "not-found")
        public static let conflict = Code(rawValue: "conflict")
        public static let unauthorized = Code(rawValue: "unauthorized")
        public static let forbidden = Code(rawValue: "forbidden")
        public static let notModified = Code(rawValue: "not-modified")
        public static let unavailable = Code(rawValue: "unavailable")
        public static let notImplemented = Code(rawValue: "not-implemented")
        public static let deadlineExceeded = Code(rawValue: "deadline-exceeded")
        public static let tooLarge = Code(rawValue: "too-large")
        /// The disk cannot hold what the request brings (507).
        public static let insufficientStorage = Code(rawValue: "insufficient-storage")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func invalidArgument(_ message: String) -> EngineError { EngineError(.invalidArgument, message) }
    public static func notFound(_ message: String) -> EngineError { EngineError(.notFound, message) }
    public static func conflict(_ message: String) -> EngineError { EngineError(.conflict, message) }
    public static func unavailable(_ message: String) -> EngineError { EngineError(.unavailable, message) }
    public static func notImplemented(_ message: String) -> EngineError { EngineError(.notImplemented, message) }
    public static func `internal`(_ message: String) -> EngineError { EngineError(.internal, message) }
}
