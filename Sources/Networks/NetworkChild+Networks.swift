import Foundation
import Messages

extension NetworkChild {
    public func createNetwork(_ request: NetworkCreateRequest) async throws -> String {
        let name = request.Name
        guard !name.isEmpty else { throw EngineError.invalidArgument("network name is required") }
        guard name.wholeMatch(of: #/[a-zA-Z0-9][a-zA-Z0-9_.-]*/#) != nil else {
            throw EngineError.invalidArgument("invalid network name \"\(name)\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        if StoredNetwork.predefinedNames.contains(name) {
            throw EngineError(.forbidden, "\(name) is a pre-defined network and cannot be created")
        }
        if networks.values.contains(where: { $0.name == name }) {
            throw EngineError.conflict("network with name \(name) already exists")
        }
        let driver = request.Driver.flatMap { $0.isEmpty ? nil : $0 } ?? "bridge"
        switch driver {
        case "bridge": break
        case "host", "null": throw EngineError(.forbidden, "only one instance of \"\(driver)\" network is allowed")
        default: throw EngineError.notFound("plugin \"\(driver)\" not found")
        }
        if request.Ingress == true { throw EngineError.invalidArgument("ingress networks need swarm mode, which berthd does not have") }
        if request.ConfigOnly == true || !(request.ConfigFrom?.Network.isEmpty ?? true) {
            throw EngineError.invalidArgument("config-only networks are not supported by berthd")
        }
        if request.EnableIPv6 == true { throw EngineError.invalidArgument("IPv6 networks are not supported by berthd yet") }
        if let ipamDriver = request.IPAM?.Driver, !ipamDriver.isEmpty, ipamDriver != "default" {
            throw EngineError.notFound("plugin \"\(ipamDriver)\" not found")
        }
        let id = EngineID.random()
        var network = StoredNetwork(
            id: id, name: name, driver: driver, createdNano: UnixTime.nowNano, internal: request.Internal ?? false,
            attachable: request.Attachable ?? false, options: request.Options ?? [:], labels: request.Labels ?? [:],
            ipamOptions: request.IPAM?.Options ?? [:])
        if let icc = network.options[StoredNetwork.iccOption], GoSyntax.bool(icc) == nil {
            throw EngineError.invalidArgument(
                "failed to parse \(StoredNetwork.iccOption) value: \(icc) (\(GoSyntax.syntaxError("ParseBool", icc)))")
        }
        network.device = network.options["com.docker.network.bridge.name"] ?? "br-" + id.prefix(12)
        guard network.device.count <= 15 else { throw EngineError.invalidArgument("bridge name \(network.device) is longer than 15 characters") }
        if networks.values.contains(where: { $0.device == network.device }) {
            throw EngineError.conflict("bridge \(network.device) is already used by another network")
        }
        try planAddresses(of: &network, pools: request.IPAM?.Config ?? [])
        try store.save(network)
        networks[id] = network
        try? await listenForNames(on: network)
        await publish("create", network)
        return id
    }

    /// Checks the requested subnet, range and gateway (or picks a subnet from the pools).
    private func planAddresses(of network: inout StoredNetwork, pools: [IPAMPool]) throws {
        let pools = pools.filter { ($0.Subnet ?? "").contains(":") == false }
        guard pools.count <= 1 else { throw EngineError.invalidArgument("berthd supports one IPv4 subnet per network") }
        let taken = takenSubnets()
        guard let pool = pools.first, let subnetText = pool.Subnet, !subnetText.isEmpty else {
            if let pool = pools.first, pool.IPRange != nil || pool.Gateway != nil {
                throw EngineError.invalidArgument("a gateway or ip-range needs a subnet")
            }
            guard let subnet = planner.nextSubnet(avoiding: taken) else {
                throw EngineError(.forbidden, "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network")
            }
            network.subnet = subnet.description
            network.gateway = subnet.firstHost.description
            return
        }
        guard let subnet = IPv4Subnet(subnetText, strict: true), subnet.prefixLength <= 30 else {
            throw EngineError.invalidArgument("invalid subnet \(subnetText): it must be an IPv4 CIDR like 10.1.0.0/24 with no host bits set")
        }
        if let other = networks.values.first(where: { $0.subnetValue?.overlaps(subnet) ?? false }) {
            throw EngineError(.forbidden, "invalid pool request: Pool overlaps with other one on this address space (network \(other.name), \(other.subnet ?? ""))")
        }
        if let route = taken.first(where: { $0.overlaps(subnet) }) {
            throw EngineError(.forbidden, "invalid pool request: Pool \(subnet) overlaps with the host route \(route)")
        }
        var gateway = subnet.firstHost
        if let gatewayText = pool.Gateway, !gatewayText.isEmpty {
            guard let address = IPv4Address(gatewayText) else { throw EngineError.invalidArgument("invalid gateway address \(gatewayText)") }
            guard subnet.contains(address), address != subnet.network, address != subnet.broadcast else {
                throw EngineError.invalidArgument("invalid gateway \(gatewayText): it is not a host address of subnet \(subnet)")
            }
            gateway = address
        }
        if let rangeText = pool.IPRange, !rangeText.isEmpty {
            guard let range = IPv4Subnet(rangeText, strict: true), subnet.contains(range) else {
                throw EngineError.invalidArgument("invalid ip-range \(rangeText): it must be a CIDR inside subnet \(subnet)")
            }
            network.ipRange = range.description
        }
        for (name, text) in pool.AuxiliaryAddresses ?? [:] {
            guard let address = IPv4Address(text), subnet.contains(address) else {
                throw EngineError.invalidArgument("invalid auxiliary address \(name)=\(text): not in subnet \(subnet)")
            }
        }
        network.auxiliaryAddresses = pool.AuxiliaryAddresses ?? [:]
        network.subnet = subnet.description
        network.gateway = gateway.description
        network.userSubnet = true
    }

    public func network(_ ref: String) async throws -> NetworkDescription {
        describe(try resolveNetwork(ref))
    }

    public func networks(filters: [String: [String]]) async throws -> [NetworkDescription] {
        let filter = try NetworkFilter(filters)
        return networks.values.sorted { $0.createdNano < $1.createdNano }
            .filter { filter.matches($0, members: members(of: $0.id).count) }
            .map(describe)
    }

    public func removeNetwork(_ ref: String) async throws {
        let network = try resolveNetwork(ref)
        if network.isPredefined { throw EngineError(.forbidden, "\(network.name) is a pre-defined network and cannot be removed") }
        let attached = members(of: network.id)
        if !attached.isEmpty {
            let names = attached.map { "name:\"\($0.sandbox.containerName)\" id:\"\($0.sandbox.containerID.prefix(12))\"" }
            throw EngineError.conflict("error while removing network: network \(network.name) has active endpoints (\(names.joined(separator: ", ")))")
        }
        await resolver?.stopListening(on: network.gateway ?? "")
        ruleSetups[network.id] = nil
        await BridgeRules(network)?.remove()
        try await BridgeDevice.delete(network.device)
        try store.removeNetwork(network.id)
        networks[network.id] = nil
        lastAddress[network.id] = nil
        await publish("destroy", network)
    }

    public func pruneNetworks(filters: [String: [String]]) async throws -> [String] {
        let unknown = Set(filters.keys).subtracting(["until", "label", "label!"])
        if let key = unknown.first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        let until = try filters["until"].map { values in
            try values.map { value in
                guard let nano = UnixTime.parseFilterTime(value) else { throw EngineError.invalidArgument("invalid filter 'until=\(value)'") }
                return nano
            }.min() ?? Int64.max
        }
        var removed: [String] = []
        for network in networks.values.sorted(by: { $0.createdNano < $1.createdNano }) where !network.isPredefined {
            guard members(of: network.id).isEmpty, network.createdNano <= (until ?? Int64.max), LabelFilter.matches(filters, in: network.labels)
            else { continue }
            if (try? await removeNetwork(network.id)) != nil { removed.append(network.name) }
        }
        return removed
    }

    /// The sandboxes with an endpoint on a network.
    func members(of networkID: String) -> [(sandbox: StoredSandbox, endpoint: StoredEndpoint)] {
        sandboxes.values.members(of: networkID)
    }

    func describe(_ network: StoredNetwork) -> NetworkDescription {
        let pools = network.subnet.map { [IPAMPool(Subnet: $0, IPRange: network.ipRange, Gateway: network.gateway,
                                                   AuxiliaryAddresses: network.auxiliaryAddresses.isEmpty ? nil : network.auxiliaryAddresses)] } ?? []
        var description = NetworkDescription(
            Name: network.name, Id: network.id, Created: UnixTime.rfc3339(nano: network.createdNano), Driver: network.driver,
            IPAM: IPAMSettings(Driver: "default", Config: pools, Options: network.ipamOptions))
        description.Internal = network.internal
        description.Attachable = network.attachable
        description.Options = network.options
        description.Labels = network.labels
        for (sandbox, endpoint) in members(of: network.id) {
            description.Containers[sandbox.containerID] = NetworkMember(
                Name: sandbox.containerName, EndpointID: endpoint.endpointID, MacAddress: endpoint.macAddress,
                IPv4Address: "\(endpoint.address)/\(endpoint.prefixLength)")
        }
        return description
    }

    /// Starts the embedded DNS server on a user network's gateway address.
    func listenForNames(on network: StoredNetwork) async throws {
        guard network.hasEmbeddedDNS, let gateway = network.gateway else { return }
        try await resolver?.listen(on: gateway)
    }
}
