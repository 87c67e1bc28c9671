import Messages

/// A container's `NetworkSettings` (inspect), and the `Ports` and `Networks` of its `docker ps` row.
enum NetworkSettingsDocument {
    static func inspect(_ record: ContainerRecord) -> JSONValue {
        let primary = record.hostConfig.NetworkMode == "bridge" ? record.networking.networks["bridge"] : nil
        return [
            "Bridge": "", "SandboxID": .string(record.networking.sandboxKey.isEmpty ? "" : record.id),
            "SandboxKey": .string(record.networking.sandboxKey), "HairpinMode": false, "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0, "Ports": portMap(record), "SecondaryIPAddresses": nil, "SecondaryIPv6Addresses": nil,
            "EndpointID": .string(primary?.EndpointID ?? ""), "Gateway": .string(primary?.Gateway ?? ""), "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0, "IPAddress": .string(primary?.IPAddress ?? ""), "IPPrefixLen": .from(primary?.IPPrefixLen ?? 0),
            "IPv6Gateway": "", "MacAddress": .string(primary?.MacAddress ?? ""), "Networks": networks(record),
        ]
    }

    /// `"80/tcp": [{"HostIp": …, "HostPort": …}]` for published ports (while running), `null` for
    /// ports only exposed.
    static func portMap(_ record: ContainerRecord) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for key in exposedWhileRunning(record) { members[key] = .null }
        for (key, bindings) in record.networking.ports {
            members[key] = .array(bindings.map { ["HostIp": .string($0.HostIp ?? ""), "HostPort": .string($0.HostPort ?? "")] })
        }
        return .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// `docker ps`'s `Ports`: one entry per binding, and one without public port per port only exposed.
    static func portList(_ record: ContainerRecord) -> JSONValue {
        var entries: [JSONValue] = []
        for key in Set(exposedWhileRunning(record)).union(record.networking.ports.keys).sorted() {
            let parts = key.split(separator: "/")
            let port = JSONValue.int(Int64(parts.first.flatMap { Int($0) } ?? 0))
            let proto = JSONValue.string(parts.count > 1 ? String(parts[1]) : "tcp")
            let bindings = record.networking.ports[key] ?? []
            if bindings.isEmpty { entries.append(["PrivatePort": port, "Type": proto]) }
            for binding in bindings {
                entries.append([
                    "IP": .string(binding.HostIp ?? ""), "PrivatePort": port, "PublicPort": .int(Int64(binding.HostPort ?? "") ?? 0), "Type": proto,
                ])
            }
        }
        return .array(entries)
    }

    /// Exposed ports show only while the container has its network.
    private static func exposedWhileRunning(_ record: ContainerRecord) -> [String] {
        record.networking.sandboxKey.isEmpty ? [] : Array((record.config.ExposedPorts ?? [:]).keys)
    }

    static func networks(_ record: ContainerRecord) -> JSONValue {
        .object(record.networking.networks.sorted { $0.key < $1.key }.map { ($0.key, endpoint($0.value)) })
    }

    private static func endpoint(_ settings: EndpointSettings) -> JSONValue {
        // In key order, so the writer has nothing to sort (a list of containers writes one per network).
        [
            "Aliases": settings.Aliases.map { .from($0) } ?? nil, "DNSNames": settings.DNSNames.map { .from($0) } ?? nil,
            "DriverOpts": settings.DriverOpts.map { .from($0) } ?? nil, "EndpointID": .string(settings.EndpointID ?? ""),
            "Gateway": .string(settings.Gateway ?? ""), "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            "GwPriority": .from(settings.GwPriority ?? 0), "IPAMConfig": settings.IPAMConfig.map { .encoding($0) } ?? nil,
            "IPAddress": .string(settings.IPAddress ?? ""), "IPPrefixLen": .from(settings.IPPrefixLen ?? 0), "IPv6Gateway": "",
            "Links": settings.Links.map { .from($0) } ?? nil, "MacAddress": .string(settings.MacAddress ?? ""),
            "NetworkID": .string(settings.NetworkID ?? ""),
        ]
    }
}
