import Messages
import Testing

@testable import Networks

@Suite struct BridgeRulesTests {
    private func network(internal: Bool = false) -> StoredNetwork {
        var network = StoredNetwork(id: "n1", name: "web", driver: "bridge", createdNano: 0)
        network.device = "br-n1"
        network.subnet = "172.20.0.0/16"
        network.gateway = "172.20.0.1"
        network.internal = `internal`
        return network
    }

    @Test func aNetworkMasqueradesItsSubnetAndAcceptsItsForwarding() throws {
        let rules = try #require(BridgeRules(network())).rules
        let tag = ["-m", "comment", "--comment", "berth:br-n1"]
        #expect(rules == [
            .init(table: "nat", chain: "POSTROUTING", spec: ["-s", "172.20.0.0/16", "!", "-o", "br-n1"] + tag + ["-j", "MASQUERADE"]),
            .init(table: "filter", chain: "FORWARD", spec: ["-i", "br-n1"] + tag + ["-j", "ACCEPT"]),
            .init(table: "filter", chain: "FORWARD", spec: ["-o", "br-n1", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT"] + tag + ["-j", "ACCEPT"]),
        ])
    }

    @Test func anInternalNetworkOnlyDropsWhatCrossesItsBridge() throws {
        let rules = try #require(BridgeRules(network(internal: true))).rules
        #expect(rules.map(\.table) == ["filter", "filter"])
        #expect(rules.allSatisfy { $0.spec.suffix(2) == ["-j", "DROP"] })
    }

    @Test func networksWithoutADeviceOrSubnetHaveNone() {
        var host = network()
        host.driver = "host"
        #expect(BridgeRules(host) == nil)
        var unplanned = network()
        unplanned.subnet = nil
        #expect(BridgeRules(unplanned) == nil)
    }

    @Test func onlyABridgeOnlyChainGoesWithItsNamespace() throws {
        let address = try #require(IPv4Address("172.20.0.2"))
        let subnet = try #require(IPv4Subnet("172.20.0.0/16"))
        let gateway = try #require(IPv4Address("172.20.0.1"))
        let plain = BridgeChain.plugins(network: network(), address: address, subnet: subnet, gateway: gateway, macAddress: nil, ports: [])
        #expect(BridgeChain.goesWithNamespace(plain))
        let published = BridgeChain.plugins(
            network: network(), address: address, subnet: subnet, gateway: gateway, macAddress: nil,
            ports: [PublishedPort(hostIP: "0.0.0.0", hostPort: 8080, containerPort: 80, proto: "tcp")])
        #expect(!BridgeChain.goesWithNamespace(published))
        #expect(!BridgeChain.goesWithNamespace([["type": "bridge", "ipMasq": true]]))
    }
}
