/// A network as `GET /networks/{id}` shows it; the property names are the wire's.
public struct NetworkDescription: Sendable, Codable, Equatable {
    public var Name: String
    public var Id: String
    /// RFC 3339 with nanoseconds.
    public var Created: String
    public var Scope = "local"
    /// `bridge`, `host` or `null`.
    public var Driver: String
    public var EnableIPv4 = true
    public var EnableIPv6 = false
    public var IPAM: IPAMSettings
    public var Internal = false
    public var Attachable = false
    public var Ingress = false
    public var ConfigFrom = ConfigReference()
    public var ConfigOnly = false
    /// The running containers attached, by container ID.
    public var Containers: [String: NetworkMember] = [:]
    public var Options: [String: String] = [:]
    public var Labels: [String: String] = [:]

    public init(Name: String, Id: String, Created: String, Driver: String, IPAM: IPAMSettings) {
        self.Name = Name
        self.Id = Id
        self.Created = Created
        self.Driver = Driver
        self.IPAM = IPAM
    }

    public struct ConfigReference: Sendable, Codable, Equatable {
        public var Network = ""
        public init() {}
    }
}

/// `IPAM` of a network: its address pools.
public struct IPAMSettings: Sendable, Codable, Equatable {
    public var Driver: String?
    public var Config: [IPAMPool]?
    public var Options: [String: String]?

    public init(Driver: String? = "default", Config: [IPAMPool]? = [], Options: [String: String]? = [:]) {
        self.Driver = Driver
        self.Config = Config
        self.Options = Options
    }
}

/// One subnet of a network, with the gateway and the range containers' addresses come from.
public struct IPAMPool: Sendable, Codable, Equatable {
    public var Subnet: String?
    public var IPRange: String?
    public var Gateway: String?
    public var AuxiliaryAddresses: [String: String]?

    public init(Subnet: String? = nil, IPRange: String? = nil, Gateway: String? = nil, AuxiliaryAddresses: [String: String]? = nil) {
        self.Subnet = Subnet
        self.IPRange = IPRange
        self.Gateway = Gateway
        self.AuxiliaryAddresses = AuxiliaryAddresses
    }
}

/// A container in a network's `Containers`.
public struct NetworkMember: Sendable, Codable, Equatable {
    public var Name: String
    public var EndpointID: String
    public var MacAddress: String
    /// With its prefix length: `172.18.0.2/16`.
    public var IPv4Address: String
    public var IPv6Address = ""

    public init(Name: String, EndpointID: String, MacAddress: String, IPv4Address: String) {
        self.Name = Name
        self.EndpointID = EndpointID
        self.MacAddress = MacAddress
        self.IPv4Address = IPv4Address
    }
}

/// The body of `POST /networks/create`.
public struct NetworkCreateRequest: Sendable, Codable, Equatable {
    public var Name: String
    public var Driver: String?
    public var Scope: String?
    public var Internal: Bool?
    public var Attachable: Bool?
    public var Ingress: Bool?
    public var ConfigOnly: Bool?
    public var ConfigFrom: NetworkDescription.ConfigReference?
    public var IPAM: IPAMSettings?
    public var EnableIPv4: Bool?
    public var EnableIPv6: Bool?
    public var Options: [String: String]?
    public var Labels: [String: String]?

    public init(Name: String, Driver: String? = nil, IPAM: IPAMSettings? = nil) {
        self.Name = Name
        self.Driver = Driver
        self.IPAM = IPAM
    }
}
