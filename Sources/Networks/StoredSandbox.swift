import Messages

/// A running container's network namespace as berthd keeps it in `network.db`: enough to answer DNS
/// queries, show the network's members, and undo every CNI call after a crash.
struct StoredSandbox: Codable, Sendable, Equatable {
    var containerID: String
    var containerName: String
    var hostname: String
    /// The network namespace file.
    var path: String
    var endpoints: [StoredEndpoint]
    var ports: [PublishedPort]
    var dnsServers: [String]

    /// The interface name of the next network joined: eth0, eth1, …
    var nextInterface: String {
        let used = Set(endpoints.map(\.interface))
        return (0...).lazy.map { "eth\($0)" }.first { !used.contains($0) }!
    }
}

extension Collection<StoredSandbox> {
    /// The sandboxes with an endpoint on a network, with that endpoint.
    func members(of networkID: String) -> [(sandbox: StoredSandbox, endpoint: StoredEndpoint)] {
        flatMap { sandbox in sandbox.endpoints.filter { $0.networkID == networkID }.map { (sandbox, $0) } }
    }
}

/// One network joined by a sandbox.
struct StoredEndpoint: Codable, Sendable, Equatable {
    var networkID: String
    var networkName: String
    var endpointID: String
    var interface: String
    var address: String
    var prefixLength: Int
    var gateway: String
    var macAddress: String
    var requested: EndpointSettings
    /// The names this endpoint answers to on its network: container name, aliases, short ID.
    var dnsNames: [String]
    /// The CNI plugin configurations of the ADD, in order, and the result of the last: what DEL needs.
    var plugins: [JSONValue]
    var result: JSONValue

    /// The endpoint as `NetworkSettings.Networks` shows it.
    var settings: EndpointSettings {
        var settings = requested
        settings.NetworkID = networkID
        settings.EndpointID = endpointID
        settings.Gateway = gateway
        settings.IPAddress = address
        settings.IPPrefixLen = prefixLength
        settings.MacAddress = macAddress
        settings.DNSNames = dnsNames
        settings.IPv6Gateway = ""
        settings.GlobalIPv6Address = ""
        settings.GlobalIPv6PrefixLen = 0
        return settings
    }
}

/// A host port forwarded to a container port.
struct PublishedPort: Codable, Sendable, Equatable {
    var hostIP: String
    var hostPort: Int
    var containerPort: Int
    var proto: String

    var key: String { "\(containerPort)/\(proto)" }
}
