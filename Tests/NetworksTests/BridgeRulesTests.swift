import Messages
import Testing

@testable import Networks

@Suite struct BridgeRulesTests {
    private func network(internal: Bool = false, options: [String: String] = [:]) -> StoredNetwork {
        var network = StoredNetwork(id: "n1", name: "web", driver: "bridge", createdNano: 0)
        network.device = "br-n1"
        network.subnet = "172.20.0.0/16"
        network.gateway = "172.20.0.1"
        network.internal = `internal`
        network.options = options
        return network
    }

    private let tag = ["-m", "comment", "--comment", "berth:br-n1"]
    private let localnet = IPTablesRule(
        table: "filter", chain: "INPUT",
        spec: ["-i", "br-n1", "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT",
               "-m", "comment", "--comment", "berth:br-n1", "-j", "DROP"])

    @Test func aNetworkIsIsolatedMasqueradesAndAcceptsItsForwarding() throws {
        let rules = try #require(BridgeRules(network()))
        #expect(rules.rules == [
            .init(table: "filter", chain: "BERTH-ISOLATION-STAGE-1", spec: ["-i", "br-n1", "!", "-o", "br-n1"] + tag + ["-j", "BERTH-ISOLATION-STAGE-2"]),
            .init(table: "filter", chain: "BERTH-ISOLATION-STAGE-2", spec: ["-o", "br-n1"] + tag + ["-j", "DROP"]),
            .init(table: "filter", chain: "BERTH-FORWARD", spec: ["-i", "br-n1", "!", "-o", "br-n1"] + tag + ["-j", "ACCEPT"]),
            .init(table: "filter", chain: "BERTH-FORWARD",
                  spec: ["!", "-i", "br-n1", "-o", "br-n1", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT"] + tag + ["-j", "ACCEPT"]),
            .init(table: "filter", chain: "BERTH-FORWARD", spec: ["-i", "br-n1", "-o", "br-n1"] + tag + ["-j", "ACCEPT"]),
            .init(table: "nat", chain: "POSTROUTING", spec: ["-s", "172.20.0.0/16", "!", "-o", "br-n1"] + tag + ["-j", "MASQUERADE"]),
            localnet,
        ])
        #expect(!rules.filtersBridgedTraffic)
    }

    @Test func anInternalNetworkKeepsToItsSubnetAndNeverMasquerades() throws {
        let rules = try #require(BridgeRules(network(internal: true))).rules
        #expect(rules == [
            .init(table: "filter", chain: "BERTH-ISOLATION-STAGE-1", spec: ["-i", "br-n1", "!", "-d", "172.20.0.0/16"] + tag + ["-j", "DROP"]),
            .init(table: "filter", chain: "BERTH-ISOLATION-STAGE-1", spec: ["-o", "br-n1", "!", "-s", "172.20.0.0/16"] + tag + ["-j", "DROP"]),
            .init(table: "filter", chain: "BERTH-FORWARD", spec: ["-i", "br-n1", "-o", "br-n1"] + tag + ["-j", "ACCEPT"]),
            localnet,
        ])
    }

    @Test func withoutInterContainerCommunicationTheBridgeDropsBetweenItsPorts() throws {
        for value in ["false", "0", "F"] {
            let rules = try #require(BridgeRules(network(options: ["com.docker.network.bridge.enable_icc": value])))
            #expect(rules.rules.contains(.init(table: "filter", chain: "BERTH-FORWARD", spec: ["-i", "br-n1", "-o", "br-n1"] + tag + ["-j", "DROP"])))
            #expect(!rules.rules.contains { $0.spec.starts(with: ["-i", "br-n1", "-o", "br-n1"]) && $0.spec.last == "ACCEPT" })
            #expect(rules.filtersBridgedTraffic)
        }
        #expect(try #require(BridgeRules(network(options: ["com.docker.network.bridge.enable_icc": "true"]))) == BridgeRules(network()))
    }

    @Test func rulesInBerthsChainsAreAppendedAndOthersGoFirst() throws {
        let rules = try #require(BridgeRules(network())).rules
        #expect(rules.filter(\.inOwnChain).map(\.chain).allSatisfy { $0.hasPrefix("BERTH-") })
        #expect(rules.filter { !$0.inOwnChain }.map(\.chain) == ["POSTROUTING", "INPUT"])
        #expect(rules[0].arguments("-C") == ["-w", "-t", "filter", "-C", "BERTH-ISOLATION-STAGE-1"] + rules[0].spec)
    }

    @Test func theIsolationStagesComeBeforeAnyAccept() {
        #expect(HostFirewall.jumps.map(\.chain) == ["FORWARD", "BERTH-FORWARD"])
        #expect(HostFirewall.jumps.map { $0.spec.last } == ["BERTH-FORWARD", "BERTH-ISOLATION-STAGE-1"])
        #expect(HostFirewall.chains == ["BERTH-FORWARD", "BERTH-ISOLATION-STAGE-1", "BERTH-ISOLATION-STAGE-2"])
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
