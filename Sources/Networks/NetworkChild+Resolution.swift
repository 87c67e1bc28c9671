import Messages

extension NetworkChild {
    /// The embedded DNS server's answer to a container's query: the addresses of the containers on the
    /// querier's user networks that go by the name (container name, alias or short ID), the name of
    /// an address (PTR), or else the querier's `--dns` servers (or the host's) to forward to.
    func answer(_ lookup: DNSLookup) -> DNSLookupAnswer {
        guard let network = networks.values.first(where: { $0.hasEmbeddedDNS && $0.gateway == lookup.listenAddress }) else { return .notFound }
        let querier = sandboxes.values.first { sandbox in
            sandbox.endpoints.contains { $0.networkID == network.id && $0.address == lookup.sourceAddress }
        }
        let searched = [network.id] + (querier?.endpoints.map(\.networkID).filter { $0 != network.id } ?? [])
        let candidates = searched.filter { networks[$0]?.hasEmbeddedDNS ?? false }.flatMap(members(of:))
        switch lookup.type {
        case .ptr:
            if let address = Self.address(inReverseName: lookup.name),
                let member = candidates.first(where: { $0.endpoint.address == address })
            {
                return .pointer("\(member.sandbox.containerName).\(member.endpoint.networkName)")
            }
        default:
            let name = lookup.name.lowercased()
            let matches = candidates.filter { member in member.endpoint.dnsNames.contains { $0.lowercased() == name } }
            if !matches.isEmpty {
                var seen = Set<String>()
                let addresses = matches.map(\.endpoint.address).filter { seen.insert($0).inserted }
                return .addresses(lookup.type == .a ? addresses : [])
            }
        }
        let servers = querier?.dnsServers.isEmpty == false ? querier!.dnsServers : hostNameservers
        return servers.isEmpty ? .notFound : .forward(servers)
    }

    /// `4.3.2.1.in-addr.arpa` → `1.2.3.4`.
    static func address(inReverseName name: String) -> String? {
        let suffix = ".in-addr.arpa"
        guard name.lowercased().hasSuffix(suffix) else { return nil }
        let octets = name.dropLast(suffix.count).split(separator: ".")
        guard octets.count == 4 else { return nil }
        return octets.reversed().joined(separator: ".")
    }
}
