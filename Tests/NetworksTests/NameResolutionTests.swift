import Messages
import Testing

@testable import Networks

/// Who a network's resolver answers, and what it forwards: members only, and nothing from a container
/// that is only on internal networks.
@Suite struct NameResolutionTests {
    private static func network(_ id: String, _ index: Int, internal: Bool = false) -> StoredNetwork {
        var network = StoredNetwork(id: id, name: id, driver: "bridge", createdNano: 0)
        network.device = "br-\(id)"
        network.subnet = "172.2\(index).0.0/16"
        network.gateway = "172.2\(index).0.1"
        network.internal = `internal`
        return network
    }

    private static func sandbox(_ name: String, on endpoints: [(network: String, address: String)], dns: [String] = []) -> StoredSandbox {
        StoredSandbox(
            containerID: name + "-id", containerName: name, hostname: name, path: "/run/netns/" + name,
            endpoints: endpoints.map { endpoint in
                StoredEndpoint(
                    networkID: endpoint.network, networkName: endpoint.network, endpointID: "e-\(name)-\(endpoint.network)", interface: "eth0",
                    address: endpoint.address, prefixLength: 16, gateway: "", macAddress: "", requested: EndpointSettings(),
                    dnsNames: [name], plugins: [], result: [:])
            },
            ports: [], dnsServers: dns)
    }

    private let networks = [
        "a": network("a", 1), "b": network("b", 2), "i": network("i", 3, internal: true),
    ]
    private let sandboxes = [
        "web": sandbox("web", on: [("a", "172.21.0.2")]),
        "db": sandbox("db", on: [("b", "172.22.0.2")]),
        "vault": sandbox("vault", on: [("i", "172.23.0.2")]),
        "app": sandbox("app", on: [("i", "172.23.0.3"), ("a", "172.21.0.3")], dns: ["192.0.2.53"]),
    ]

    private func answer(_ name: String, on listenAddress: String, from source: String, type: DNSRecordType = .a) -> DNSLookupAnswer {
        NetworkChild.answer(
            DNSLookup(name: name, type: type, listenAddress: listenAddress, sourceAddress: source),
            networks: networks, sandboxes: sandboxes, hostNameservers: ["198.51.100.1"])
    }

    @Test func membersGetTheirNetworksNamesAndForwardsOut() {
        #expect(answer("web", on: "172.21.0.1", from: "172.21.0.3") == .addresses(["172.21.0.2"]))
        #expect(answer("vault", on: "172.21.0.1", from: "172.21.0.3") == .addresses(["172.23.0.2"]))
        #expect(answer("example.com", on: "172.21.0.1", from: "172.21.0.2") == .forward(["198.51.100.1"]))
        #expect(answer("example.com", on: "172.23.0.1", from: "172.23.0.3") == .forward(["192.0.2.53"]))
    }

    @Test func aResolverRefusesContainersThatAreNotOnItsNetwork() {
        // web (on a) asks b's resolver: about b's container, and about anything else.
        #expect(answer("db", on: "172.22.0.1", from: "172.21.0.2") == .refused)
        #expect(answer("example.com", on: "172.22.0.1", from: "172.21.0.2") == .refused)
        #expect(answer("2.0.22.172.in-addr.arpa", on: "172.22.0.1", from: "172.21.0.2", type: .ptr) == .refused)
        // the host itself, and an address no one has
        #expect(answer("db", on: "172.22.0.1", from: "172.22.0.1") == .refused)
        #expect(answer("db", on: "172.22.0.1", from: "172.22.0.99") == .refused)
        // nor is a member's address on another network enough
        #expect(answer("db", on: "172.22.0.1", from: "172.23.0.2") == .refused)
        #expect(answer("web", on: "10.9.9.1", from: "172.21.0.2") == .refused)
    }

    @Test func aContainerOnlyOnInternalNetworksResolvesMembersButNothingLeaves() {
        #expect(answer("vault", on: "172.23.0.1", from: "172.23.0.2") == .addresses(["172.23.0.2"]))
        #expect(answer("app", on: "172.23.0.1", from: "172.23.0.2") == .addresses(["172.23.0.3"]))
        #expect(answer("2.0.23.172.in-addr.arpa", on: "172.23.0.1", from: "172.23.0.2", type: .ptr) == .pointer("vault.i"))
        #expect(answer("example.com", on: "172.23.0.1", from: "172.23.0.2") == .serverFailure)
        #expect(answer("4.3.2.1.in-addr.arpa", on: "172.23.0.1", from: "172.23.0.2", type: .ptr) == .serverFailure)
        #expect(answer("web", on: "172.23.0.1", from: "172.23.0.2") == .serverFailure)
    }
}
