import Messages

extension NetworkChild {
    /// The embedded DNS server's answer to a container's query (see `answer(_:networks:sandboxes:hostNameservers:)`).
    func answer(_ lookup: DNSLookup) -> DNSLookupAnswer {
        Self.answer(lookup, networks: networks, sandboxes: sandboxes, hostNameservers: hostNameservers)
    }

    /// The answer to a query that arrived on a user network's resolver address:
    /// - REFUSED unless it comes from a container on that network (by its address there): a network's
    ///   resolver is for its members alone, as dockerd's, which only the container's own namespace reaches;
    /// - the addresses of the containers on the querier's user networks that go by the name (container
    ///   name, alias or short ID), or the name of an address (PTR);
    /// - else the querier's `--dns` servers (or the host's) to forward to, when the querier has a way
    ///   out: a container only on internal networks gets SERVFAIL and nothing leaves the host
    ///   (CVE-2024-29018; dockerd does not forward for a sandbox without external access either).
    static func answer(
        _ lookup: DNSLookup, networks: [String: StoredNetwork], sandboxes: [String: StoredSandbox], hostNameservers: [String]
    ) -> DNSLookupAnswer {
        guard let network = networks.values.first(where: { $0.hasEmbeddedDNS && $0.gateway == lookup.listenAddress }),
            let querier = sandboxes.values.first(where: { sandbox in
                sandbox.endpoints.contains { $0.networkID == network.id && $0.address == lookup.sourceAddress }
            })
        else { return .refused }
        let searched = [network.id] + querier.endpoints.map(\.networkID).filter { $0 != network.id }
        let candidates = searched.filter { networks[$0]?.hasEmbeddedDNS ?? false }.flatMap { sandboxes.values.members(of: $0) }
        switch lookup.type {
        case .ptr:
            if let address = address(inReverseName: lookup.name),
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
        guard querier.endpoints.contains(where: { networks[$0.networkID]?.internal == false }) else { return .serverFailure }
        let servers = querier.dnsServers.isEmpty ? hostNameservers : querier.dnsServers
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
