import Messages
import Testing

@testable import Networks

@Suite struct AddressingTests {
    @Test func subnetsParseAndCompare() throws {
        let subnet = try #require(IPv4Subnet("172.18.0.0/16"))
        #expect(subnet.description == "172.18.0.0/16")
        #expect(subnet.broadcast.description == "172.18.255.255")
        #expect(subnet.firstHost.description == "172.18.0.1")
        #expect(subnet.contains(try #require(IPv4Address("172.18.3.4"))))
        #expect(!subnet.contains(try #require(IPv4Address("172.19.0.1"))))
        #expect(subnet.overlaps(try #require(IPv4Subnet("172.18.5.0/24"))))
        #expect(!subnet.overlaps(try #require(IPv4Subnet("172.19.0.0/16"))))
        #expect(IPv4Subnet("10.1.2.3/16", strict: true) == nil)
        #expect(IPv4Address("10.1.2") == nil)
        #expect(IPv4Address("10.1.2.256") == nil)
    }

    @Test func plannerSkipsTakenSubnetsAndHostRoutes() throws {
        let planner = SubnetPlanner(pools: SubnetPlanner.dockerDefaults)
        let taken = [try #require(IPv4Subnet("172.17.0.0/16")), try #require(IPv4Subnet("172.18.4.0/24"))]
        #expect(planner.nextSubnet(avoiding: taken)?.description == "172.19.0.0/16")
        let small = SubnetPlanner(pools: [AddressPool(base: "10.10.0.0/16", size: 24)])
        #expect(small.nextSubnet(avoiding: [try #require(IPv4Subnet("10.10.0.0/23"))])?.description == "10.10.2.0/24")
        #expect(small.nextSubnet(avoiding: [try #require(IPv4Subnet("10.0.0.0/8"))]) == nil)
    }

    @Test func hostRoutesSkipTheDefaultRouteAndOwnBridges() {
        let table = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            berth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            """
        #expect(HostRoutes.parse(table, excludingDevices: ["berth0"]).map(\.description) == ["192.0.2.0/24"])
    }

    @Test func allocatorSkipsReservedAndUsedAddressesAndWraps() throws {
        var network = StoredNetwork(id: "n", name: "n", driver: "bridge", createdNano: 0)
        network.subnet = "10.5.0.0/29"
        network.gateway = "10.5.0.1"
        network.auxiliaryAddresses = ["router": "10.5.0.2"]
        let allocator = try AddressAllocator(network: network)
        let used: Set = [try #require(IPv4Address("10.5.0.3"))]
        #expect(try allocator.next(after: nil, inUse: used).description == "10.5.0.4")
        #expect(try allocator.next(after: IPv4Address("10.5.0.6"), inUse: used).description == "10.5.0.4")
        #expect(throws: EngineError.self) { try allocator.claim("10.5.0.3", inUse: used) }
        #expect(throws: EngineError.self) { try allocator.claim("10.6.0.3", inUse: used) }
        #expect(try allocator.claim("10.5.0.5", inUse: used).description == "10.5.0.5")
        let full = Set(["10.5.0.3", "10.5.0.4", "10.5.0.5", "10.5.0.6"].compactMap { IPv4Address($0) })
        #expect(throws: EngineError.self) { try allocator.next(after: nil, inUse: full) }
    }

    @Test func reverseNamesReadAsAddresses() {
        #expect(NetworkChild.address(inReverseName: "2.0.18.172.in-addr.arpa") == "172.18.0.2")
        #expect(NetworkChild.address(inReverseName: "example.com") == nil)
    }
}
