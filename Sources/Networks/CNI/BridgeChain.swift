import Messages

/// The CNI plugin chain that puts a container on a bridge network: `bridge` (the veth pair, the
/// bridge device with the gateway address) with `static` IPAM — berthd chose the address —, and
/// `portmap` for published ports. Masquerading and forwarding are the network's ``BridgeRules``.
enum BridgeChain {
    static func plugins(network: StoredNetwork, address: IPv4Address, subnet: IPv4Subnet, gateway: IPv4Address, macAddress: String?, ports: [PublishedPort]) -> [JSONValue] {
        var bridge: JSONValue = [
            "cniVersion": .string(CNIPlugin.version), "name": .string(network.id), "type": "bridge", "bridge": .string(network.device),
            "isGateway": true, "ipMasq": false, "hairpinMode": true,
            "ipam": [
                "type": "static",
                "addresses": [["address": .string("\(address)/\(subnet.prefixLength)"), "gateway": .string(gateway.description)]],
                "routes": network.internal ? [] : [["dst": "0.0.0.0/0"]],
            ],
        ]
        if let mtu = network.options["com.docker.network.driver.mtu"].flatMap(Int.init) { bridge = bridge.adding("mtu", .from(mtu)) }
        if let macAddress, !macAddress.isEmpty {
            bridge = bridge.adding("capabilities", ["mac": true]).adding("runtimeConfig", ["mac": .string(macAddress)])
        }
        var chain = [bridge]
        if !ports.isEmpty {
            let mappings = ports.map { port -> JSONValue in
                [
                    "hostPort": .from(port.hostPort), "containerPort": .from(port.containerPort), "protocol": .string(port.proto),
                    "hostIP": .string(port.hostIP == "0.0.0.0" ? "" : port.hostIP),
                ]
            }
            chain.append([
                "cniVersion": .string(CNIPlugin.version), "name": .string(network.id), "type": "portmap", "snat": true,
                "capabilities": ["portMappings": true], "runtimeConfig": ["portMappings": .array(mappings)],
            ])
        }
        return chain
    }

    /// Whether deleting the container's namespace undoes the chain: a lone `bridge` plugin without
    /// masquerading (with `static` IPAM) leaves nothing on the host but its veth pair, which the kernel
    /// removes with the namespace — its DEL would repeat that at the cost of two plugin runs. A chain
    /// with `portmap` (or recorded with `ipMasq`) has host rules to delete.
    static func goesWithNamespace(_ chain: [JSONValue]) -> Bool {
        chain.allSatisfy { $0["type"] == "bridge" && $0["ipMasq"] == false }
    }

    /// The container-side interface's MAC address in a bridge plugin result.
    static func macAddress(in result: JSONValue, interface: String) -> String {
        let interfaces = result["interfaces"]?.arrayValue ?? []
        return interfaces.first { $0["name"]?.stringValue == interface && $0["sandbox"] != nil }?["mac"]?.stringValue ?? ""
    }
}

extension JSONValue {
    /// An object with one more member.
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.append((key, value))
        return .object(members)
    }
}
