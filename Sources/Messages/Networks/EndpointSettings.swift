/// A container's membership of one network, as `NetworkSettings.Networks`, `NetworkingConfig` and
/// `docker network connect` carry it: what the user asks (aliases, a static address) and, while the
/// container runs, what it got. The property names are the wire's.
public struct EndpointSettings: Sendable, Codable, Equatable {
    public var IPAMConfig: EndpointIPAMConfig?
    public var Links: [String]?
    public var Aliases: [String]?
    public var MacAddress: String?
    public var DriverOpts: [String: String]?
    public var GwPriority: Int?
    public var NetworkID: String?
    public var EndpointID: String?
    public var Gateway: String?
    public var IPAddress: String?
    public var IPPrefixLen: Int?
    public var IPv6Gateway: String?
    public var GlobalIPv6Address: String?
    public var GlobalIPv6PrefixLen: Int?
    public var DNSNames: [String]?

    public init(aliases: [String]? = nil, ipv4Address: String? = nil) {
        Aliases = aliases
        IPAMConfig = ipv4Address.map { EndpointIPAMConfig(IPv4Address: $0) }
    }

    /// The requested part only: what stays when the container stops (a requested MAC address is the
    /// container's `MacAddress`).
    public var requested: EndpointSettings {
        var settings = EndpointSettings()
        settings.IPAMConfig = IPAMConfig
        settings.Links = Links
        settings.Aliases = Aliases
        settings.DriverOpts = DriverOpts
        settings.GwPriority = GwPriority
        settings.NetworkID = NetworkID
        return settings
    }
}

/// A static address asked for with `--ip`.
public struct EndpointIPAMConfig: Sendable, Codable, Equatable {
    public var IPv4Address: String?
    public var IPv6Address: String?
    public var LinkLocalIPs: [String]?

    public init(IPv4Address: String? = nil) { self.IPv4Address = IPv4Address }
}

/// `NetworkingConfig` of a create request.
public struct NetworkingConfig: Sendable, Codable, Equatable {
    public var EndpointsConfig: [String: EndpointSettings]?
    public init(EndpointsConfig: [String: EndpointSettings]? = nil) { self.EndpointsConfig = EndpointsConfig }
}
