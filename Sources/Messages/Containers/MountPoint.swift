/// One of a container's mounts as `Mounts` in inspect shows it: a volume, a bind of a host path, or a
/// tmpfs. The property names are the wire's; the last ones are berthd's own.
public struct MountPoint: Sendable, Codable, Equatable {
    /// `volume`, `bind` or `tmpfs`.
    public var `Type`: String
    /// The volume's name ("" otherwise).
    public var Name: String
    /// The host path: the bind's source, or the volume's mount point while mounted.
    public var Source: String
    public var Destination: String
    public var Driver: String
    /// What the user wrote after the destination (`ro`, `z`, …).
    public var Mode: String
    public var RW: Bool
    /// `rprivate`, `rshared`, … for binds ("" otherwise).
    public var Propagation: String
    /// Whether an empty volume gets the image's content at the destination on its first mount.
    public var copyImageContent: Bool
    /// A tmpfs mount's options (`size=…,mode=…`).
    public var tmpfsOptions: String

    public init(type: String, name: String = "", source: String = "", destination: String, driver: String = "", mode: String = "", rw: Bool = true,
                propagation: String = "", copyImageContent: Bool = false, tmpfsOptions: String = "") {
        self.Type = type
        Name = name
        Source = source
        Destination = destination
        Driver = driver
        Mode = mode
        RW = rw
        Propagation = propagation
        self.copyImageContent = copyImageContent
        self.tmpfsOptions = tmpfsOptions
    }
}
