/// A container's networks: by network name, the settings the user asked for and, while it runs, the
/// addresses it got; its published ports and namespace while it runs.
public struct ContainerNetworking: Sendable, Codable, Equatable {
    public var networks: [String: EndpointSettings]
    /// `80/tcp` → host bindings, while running.
    public var ports: [String: [PortBinding]]
    /// The network namespace path while running, else "".
    public var sandboxKey: String

    public init(networks: [String: EndpointSettings] = [:], ports: [String: [PortBinding]] = [:], sandboxKey: String = "") {
        self.networks = networks
        self.ports = ports
        self.sandboxKey = sandboxKey
    }

    /// What stays once the container stops: the requested settings only.
    public var stopped: ContainerNetworking {
        ContainerNetworking(networks: networks.mapValues(\.requested))
    }
}
