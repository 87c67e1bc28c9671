/// Requests the `network` child answers.
public protocol NetworkService: Sendable {
    /// The networks that exist and the address pools in use (`/info`).
    func overview() async throws -> NetworkOverview

    /// `docker network create`: the new network's ID.
    func createNetwork(_ request: NetworkCreateRequest) async throws -> String
    /// A network by ID, name or unique ID prefix, with the containers attached to it.
    func network(_ ref: String) async throws -> NetworkDescription
    /// The networks that match Docker's `docker network ls` filters.
    func networks(filters: [String: [String]]) async throws -> [NetworkDescription]
    /// `docker network rm`: refused while containers are attached.
    func removeNetwork(_ ref: String) async throws
    /// Removes the user networks without attached containers that match `filters`; their names.
    func pruneNetworks(filters: [String: [String]]) async throws -> [String]

    /// Gives a starting container its network namespace, wired to `request.networks`, with its ports
    /// published.
    func attach(_ request: SandboxRequest) async throws -> Sandbox
    /// Adds a network to a running container's sandbox (`docker network connect`).
    func connect(_ containerID: String, _ endpoint: EndpointRequest) async throws -> AttachedEndpoint
    /// Takes a network out of a running container's sandbox (`docker network disconnect`).
    func disconnect(_ containerID: String, network: String) async throws
    /// Releases everything a container's sandbox holds: addresses, rules, published ports, namespace.
    func detach(_ containerID: String) async throws
    /// Releases the sandboxes of containers that are not in `running` (after a crash or a reboot).
    func releaseSandboxes(keeping running: Set<String>) async throws -> Int
}

public struct NetworkOverview: Sendable, Codable, Hashable {
    public var networkNames: [String]
    /// `DefaultAddressPools` of `/info`: base CIDR and size of the subnets carved from it.
    public var addressPools: [AddressPool]

    public init(networkNames: [String], addressPools: [AddressPool]) {
        self.networkNames = networkNames
        self.addressPools = addressPools
    }
}

public struct AddressPool: Sendable, Codable, Hashable {
    public var base: String
    public var size: Int

    public init(base: String, size: Int) {
        self.base = base
        self.size = size
    }
}
