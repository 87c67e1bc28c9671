/// Requests the `volumes` child answers: volumes of the `local` driver and of volume plugins, which
/// containers reference from their creation to their removal and mount while they run.
public protocol VolumesService: Sendable {
    /// Every volume with its size and reference count, for `/system/df`.
    func diskUsage() async throws -> [VolumeUsage]

    /// `docker volume create`; an existing volume of that name and driver is returned as it is.
    func createVolume(_ request: VolumeCreateRequest) async throws -> VolumeDescription
    func volume(_ name: String) async throws -> VolumeDescription
    /// The volumes that match Docker's `docker volume ls` filters.
    func volumes(filters: [String: [String]]) async throws -> [VolumeDescription]
    /// Refused while a container references the volume.
    func removeVolume(_ name: String, force: Bool) async throws
    /// Removes the unreferenced volumes that match `filters` — only anonymous ones unless `all`.
    func pruneVolumes(filters: [String: [String]], all: Bool) async throws -> VolumePruneReport

    /// A new container's volumes: each claim names a volume (created when missing) or asks for an
    /// anonymous one; the container references them until `release`. The volumes, in claim order.
    func claim(_ claims: [VolumeClaim], for containerID: String) async throws -> [VolumeDescription]
    /// Drops a removed container's references; with `removeAnonymous` (`rm -v`, `--rm`) its anonymous
    /// volumes that no other container references go too.
    func release(containerID: String, removeAnonymous: Bool) async throws
    /// Mounts a volume for a starting container; its path on the host.
    func mount(_ name: String, for containerID: String) async throws -> String
    /// Undoes `mount` once the container stopped (the last user's unmount unmounts it).
    func unmount(_ name: String, for containerID: String) async throws
    /// Unmounts what containers that are not in `running` still had mounted (after a crash).
    func releaseMounts(keeping running: Set<String>) async throws -> Int
}

/// A container's volume: a named one (created if missing) or, with `name` nil, an anonymous one.
public struct VolumeClaim: Sendable, Codable, Equatable {
    public var name: String?
    /// The driver to create it with; "" takes an existing volume of any driver, or creates a `local` one.
    public var driver: String
    public var options: [String: String]
    public var labels: [String: String]

    public init(name: String?, driver: String = "", options: [String: String] = [:], labels: [String: String] = [:]) {
        self.name = name
        self.driver = driver
        self.options = options
        self.labels = labels
    }
}

/// The body of `POST /volumes/create`.
public struct VolumeCreateRequest: Sendable, Codable, Equatable {
    public var Name: String?
    public var Driver: String?
    public var DriverOpts: [String: String]?
    public var Labels: [String: String]?
    public var ClusterVolumeSpec: JSONValue?

    public init(Name: String? = nil, Driver: String? = nil, DriverOpts: [String: String]? = nil, Labels: [String: String]? = nil) {
        self.Name = Name
        self.Driver = Driver
        self.DriverOpts = DriverOpts
        self.Labels = Labels
    }
}

/// A volume as `GET /volumes/{name}` shows it; the property names are the wire's.
public struct VolumeDescription: Sendable, Codable, Equatable {
    public var Name: String
    public var Driver: String
    public var Mountpoint: String
    /// RFC 3339.
    public var CreatedAt: String
    public var Labels: [String: String]
    public var Options: [String: String]
    public var Scope = "local"
    public var Status: [String: JSONValue]?

    public init(Name: String, Driver: String, Mountpoint: String, CreatedAt: String, Labels: [String: String], Options: [String: String]) {
        self.Name = Name
        self.Driver = Driver
        self.Mountpoint = Mountpoint
        self.CreatedAt = CreatedAt
        self.Labels = Labels
        self.Options = Options
    }
}

public struct VolumePruneReport: Sendable, Codable, Equatable {
    public var removed: [String]
    public var spaceReclaimed: Int64

    public init(removed: [String], spaceReclaimed: Int64) {
        self.removed = removed
        self.spaceReclaimed = spaceReclaimed
    }
}

public struct VolumeUsage: Sendable, Codable, Hashable {
    public var name: String
    public var driver: String
    public var mountpoint: String
    public var createdAt: String
    public var labels: [String: String]
    public var scope: String
    public var size: Int64
    public var refCount: Int64

    public init(name: String, driver: String, mountpoint: String, createdAt: String, labels: [String: String], scope: String, size: Int64, refCount: Int64) {
        self.name = name
        self.driver = driver
        self.mountpoint = mountpoint
        self.createdAt = createdAt
        self.labels = labels
        self.scope = scope
        self.size = size
        self.refCount = refCount
    }
}
