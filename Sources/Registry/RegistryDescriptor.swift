/// Content in a registry: its media type, its digest (`sha256:<64 hex digits>`) and its size in bytes.
/// Encodes like an OCI descriptor (`{"mediaType","digest","size"}`).
public struct RegistryDescriptor: Sendable, Hashable, Codable {
    public var mediaType: String
    public var digest: String
    public var size: Int64

    public init(mediaType: String, digest: String, size: Int64) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
    }
}
