/// The one error type of the `Archive` module: a category (`code`) to branch on and a `message` that
/// says what went wrong, naming the entry or file when there is one.
public struct ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An open set of error categories.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The archive ends inside a header or inside an entry's data.
        public static let truncated = Code(rawValue: "truncated")
        /// A header is malformed: bad checksum, unparsable number or extended header.
        public static let corrupt = Code(rawValue: "corrupt")
        /// A path or link target would leave the extraction root, or is absolute or empty.
        public static let unsafePath = Code(rawValue: "unsafe-path")
        /// Data is larger than the caller's or the module's limit.
        public static let tooLarge = Code(rawValue: "too-large")
        /// The caller asked for something that cannot be written or done.
        public static let invalidArgument = Code(rawValue: "invalid-argument")
        /// A system call on a file failed.
        public static let io = Code(rawValue: "io")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func truncated(_ message: String) -> ArchiveError { ArchiveError(.truncated, message) }
    static func corrupt(_ message: String) -> ArchiveError { ArchiveError(.corrupt, message) }
    static func unsafePath(_ message: String) -> ArchiveError { ArchiveError(.unsafePath, message) }
    static func invalidArgument(_ message: String) -> ArchiveError { ArchiveError(.invalidArgument, message) }
}
