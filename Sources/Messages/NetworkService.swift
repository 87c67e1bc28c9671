/// Requests the `network` child answers.
public protocol NetworkService: Sendable {
    /// The networks that exist and the address pools in use (`/info`).
    func overview() async throws -> NetworkOverview
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
