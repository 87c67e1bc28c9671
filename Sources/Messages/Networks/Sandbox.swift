/// What a starting container asks of the `network` child.
public struct SandboxRequest: Sendable, Codable, Equatable {
    public var containerID: String
    public var containerName: String
    public var hostname: String
    /// The networks to join, the first being the one ports are published on.
    public var networks: [EndpointRequest]
    public var ports: [PortRequest]
    /// The resolvers the embedded DNS server forwards this container's other queries to (`--dns`);
    /// empty: the host's.
    public var dnsServers: [String]

    public init(containerID: String, containerName: String, hostname: String, networks: [EndpointRequest], ports: [PortRequest], dnsServers: [String]) {
        self.containerID = containerID
        self.containerName = containerName
        self.hostname = hostname
        self.networks = networks
        self.ports = ports
        self.dnsServers = dnsServers
    }
}

/// One network to join, by name or ID, with the user's settings for it.
public struct EndpointRequest: Sendable, Codable, Equatable {
    public var network: String
    public var settings: EndpointSettings

    public init(network: String, settings: EndpointSettings = EndpointSettings()) {
        self.network = network
        self.settings = settings
    }
}

/// A container port to publish: `-p [hostIP:][hostPort:]containerPort[/proto]`. An empty `hostPort`
/// takes an ephemeral port; `8000-8010` takes the first free one of the range.
public struct PortRequest: Sendable, Codable, Equatable {
    public var containerPort: Int
    /// `tcp`, `udp` or `sctp`.
    public var proto: String
    public var hostIP: String
    public var hostPort: String

    public init(containerPort: Int, proto: String, hostIP: String, hostPort: String) {
        self.containerPort = containerPort
        self.proto = proto
        self.hostIP = hostIP
        self.hostPort = hostPort
    }
}

/// A running container's network namespace and what it was given.
public struct Sandbox: Sendable, Codable, Equatable {
    /// The network namespace to join (`SandboxKey`).
    public var path: String
    public var endpoints: [AttachedEndpoint]
    /// Published ports: `80/tcp` → host bindings.
    public var ports: [String: [PortBinding]]
    /// Where this container's resolver is: the embedded DNS server's address on its first user
    /// network, or nil when it uses the host's resolvers (the default bridge).
    public var nameserver: String?

    public init(path: String, endpoints: [AttachedEndpoint], ports: [String: [PortBinding]], nameserver: String?) {
        self.path = path
        self.endpoints = endpoints
        self.ports = ports
        self.nameserver = nameserver
    }
}

/// A network a container joined, by its canonical name, with the settings it got.
public struct AttachedEndpoint: Sendable, Codable, Equatable {
    public var network: String
    public var settings: EndpointSettings

    public init(network: String, settings: EndpointSettings) {
        self.network = network
        self.settings = settings
    }
}
