import Messages

/// The ports a container publishes: its `PortBindings`, and with `-P` (`PublishAllPorts`) every other
/// exposed port on an ephemeral host port.
enum PublishedPorts {
    static func requests(_ config: ContainerConfig, _ host: HostConfig) throws -> [PortRequest] {
        var requests: [PortRequest] = []
        let bindings = host.PortBindings ?? [:]
        for key in bindings.keys.sorted() {
            let (port, proto) = try parse(key)
            for binding in (bindings[key] ?? nil) ?? [PortBinding()] {
                let request = PortRequest(containerPort: port, proto: proto, hostIP: binding.HostIp ?? "", hostPort: binding.HostPort ?? "")
                guard request.hostPorts != nil else { throw EngineError.invalidArgument("invalid port specification: \"\(request.hostPort)\"") }
                requests.append(request)
            }
        }
        if host.PublishAllPorts == true {
            for key in (config.ExposedPorts ?? [:]).keys.sorted() where bindings[key] == nil {
                let (port, proto) = try parse(key)
                requests.append(PortRequest(containerPort: port, proto: proto, hostIP: "", hostPort: ""))
            }
        }
        return requests
    }

    /// `80/tcp` (or `80`, tcp by default) as port and protocol.
    static func parse(_ key: String) throws -> (Int, String) {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        let proto = parts.count > 1 ? parts[1].lowercased() : "tcp"
        guard let port = parts.first.flatMap({ Int($0) }), (1...65535).contains(port), ["tcp", "udp", "sctp"].contains(proto) else {
            throw EngineError.invalidArgument("invalid port specification: \"\(key)\"")
        }
        return (port, proto)
    }
}
