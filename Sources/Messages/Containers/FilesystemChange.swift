/// One line of `docker diff` (`GET /containers/{id}/changes`): a path in the container and how it
/// differs from the image. Encodes as Docker's `{"Path":"/etc","Kind":0}`.
public struct FilesystemChange: Sendable, Hashable, Codable {
    public enum Kind: Int, Sendable, Hashable, Codable {
        /// `C`: changed; also reported for a directory with changes inside.
        case modified = 0
        /// `A`
        case added = 1
        /// `D`
        case deleted = 2
    }

    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case path = "Path"
        case kind = "Kind"
    }
}
