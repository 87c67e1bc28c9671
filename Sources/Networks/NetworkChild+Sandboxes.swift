import Foundation
import Messages

extension NetworkChild {
    public func attach(_ request: SandboxRequest) async throws -> Sandbox {
        let id = request.containerID
        if sandboxes[id] != nil { try await detach(id) }
        await finishTeardowns(of: id)
        let targets = try request.networks.map { endpoint in (endpoint, try bridgeNetwork(endpoint.network)) }
        guard !targets.isEmpty else { throw EngineError.invalidArgument("no network to attach container \(request.containerName) to") }
        var held: [PortReservation] = []
        do {
            for port in request.ports { held.append(try PortReservation.reserve(port)) }
        } catch {
            held.forEach { $0.release() }
            throw error
        }
        let path = namespaceDirectory + "/" + id
        sandboxes[id] = StoredSandbox(
            containerID: id, containerName: request.containerName, hostname: request.hostname, path: path, endpoints: [],
            ports: held.map(\.port), dnsServers: request.dnsServers)
        reservations[id] = held
        do {
            try await NetworkNamespace.create(at: path)
            for (index, (endpoint, network)) in targets.enumerated() {
                try await join(id, network, endpoint.settings, ports: index == 0 ? held.map(\.port) : [])
            }
            guard let sandbox = sandboxes[id] else { throw EngineError.conflict("container \(id) was detached while it started") }
            try store.save(sandbox)
            for endpoint in sandbox.endpoints {
                if let network = networks[endpoint.networkID] { await publish("connect", network, ["container": id]) }
            }
            return description(of: sandbox)
        } catch {
            try? await detach(id)
            throw error
        }
    }

    public func connect(_ containerID: String, _ request: EndpointRequest) async throws -> AttachedEndpoint {
        guard let sandbox = sandboxes[containerID] else { throw EngineError.conflict("container \(containerID) is not running") }
        let network = try bridgeNetwork(request.network)
        if sandbox.endpoints.contains(where: { $0.networkID == network.id }) {
            throw EngineError(.forbidden, "endpoint with name \(sandbox.containerName) already exists in network \(network.name)")
        }
        let endpoint = try await join(containerID, network, request.settings, ports: [])
        if let sandbox = sandboxes[containerID] { try store.save(sandbox) }
        await publish("connect", network, ["container": containerID])
        return AttachedEndpoint(network: network.name, settings: endpoint.settings)
    }

    public func disconnect(_ containerID: String, network ref: String) async throws {
        let network = try resolveNetwork(ref)
        guard var sandbox = sandboxes[containerID], let index = sandbox.endpoints.firstIndex(where: { $0.networkID == network.id }) else {
            throw EngineError.invalidArgument("container \(containerID) is not connected to network \(network.name)")
        }
        let endpoint = sandbox.endpoints.remove(at: index)
        try await leave(sandbox, endpoint)
        sandboxes[containerID] = sandbox
        try store.save(sandbox)
        await publish("disconnect", network, ["container": containerID])
    }

    /// Releases at once what another container could want next (the addresses, the host ports); the
    /// CNI teardown (rules, veth) and the namespace follow in the background, and a new sandbox for the
    /// same container waits for it.
    public func detach(_ containerID: String) async throws {
        guard let sandbox = sandboxes.removeValue(forKey: containerID) else { return }
        for reservation in reservations.removeValue(forKey: containerID) ?? [] { reservation.release() }
        for endpoint in sandbox.endpoints {
            if let network = networks[endpoint.networkID] { await publish("disconnect", network, ["container": containerID]) }
        }
        let previous = teardowns[containerID]?.task
        teardownCount += 1
        let token = teardownCount
        teardowns[containerID] = (token, Task {
            await previous?.value
            await self.tearDown(sandbox)
            self.forgetTeardown(containerID, token: token)
        })
    }

    private func forgetTeardown(_ containerID: String, token: Int) {
        if teardowns[containerID]?.token == token { teardowns[containerID] = nil }
    }

    /// Undoes a sandbox's CNI chains (but those its namespace takes along), then deletes its namespace
    /// and its record.
    private func tearDown(_ sandbox: StoredSandbox) async {
        for endpoint in sandbox.endpoints.reversed() where !BridgeChain.goesWithNamespace(endpoint.plugins) {
            do {
                try await leave(sandbox, endpoint)
            } catch {
                logger?.warning("releasing an endpoint failed", metadata: ["container": "\(sandbox.containerID)", "network": "\(endpoint.networkName)", "error": "\(error)"])
            }
        }
        NetworkNamespace.remove(at: sandbox.path)
        do {
            try store.removeSandbox(sandbox.containerID)
        } catch {
            logger?.warning("forgetting a sandbox failed", metadata: ["container": "\(sandbox.containerID)", "error": "\(error)"])
        }
    }

    /// Waits for the background teardowns (before a new sandbox for the same container, or at stop).
    func finishTeardowns(of containerID: String? = nil) async {
        for (id, teardown) in teardowns where containerID == nil || id == containerID {
            await teardown.task.value
        }
    }

    public func releaseSandboxes(keeping running: Set<String>) async throws -> Int {
        let stale = sandboxes.keys.filter { !running.contains($0) }
        for containerID in stale { try await detach(containerID) }
        return stale.count
    }

    /// A bridge network to join: `host` and `none` are namespaces of their own, not endpoints.
    private func bridgeNetwork(_ ref: String) throws -> StoredNetwork {
        let network = try resolveNetwork(ref)
        guard network.driver == "bridge" else {
            throw EngineError.invalidArgument("container cannot be connected to network \(network.name): it is not a bridge network")
        }
        return network
    }

    /// Adds an endpoint on `network` to a sandbox: chooses its address (before any suspension, so
    /// that concurrent joins never pick the same), then runs the CNI chain. The network's rules come first.
    @discardableResult
    private func join(_ containerID: String, _ chosen: StoredNetwork, _ requested: EndpointSettings, ports: [PublishedPort]) async throws -> StoredEndpoint {
        try await installRules(of: chosen)
        guard let network = networks[chosen.id] else { throw EngineError.notFound("network \(chosen.name) not found") }
        guard let sandbox = sandboxes[containerID] else { throw EngineError.conflict("container \(containerID) is not running") }
        let allocator = try AddressAllocator(network: network)
        let inUse = Set(members(of: network.id).compactMap { IPv4Address($0.endpoint.address) })
        let address: IPv4Address
        if let wanted = requested.IPAMConfig?.IPv4Address, !wanted.isEmpty {
            guard network.userSubnet, !network.isPredefined else {
                throw EngineError.invalidArgument("user specified IP address is supported only when connecting to networks with user configured subnets")
            }
            address = try allocator.claim(wanted, inUse: inUse)
        } else {
            address = try allocator.next(after: lastAddress[network.id], inUse: inUse)
        }
        lastAddress[network.id] = address
        let gateway = network.gatewayValue ?? allocator.subnet.firstHost
        let interface = sandbox.nextInterface
        let names = network.hasEmbeddedDNS ? [sandbox.containerName] + (requested.Aliases ?? []) + [String(containerID.prefix(12))] : []
        var endpoint = StoredEndpoint(
            networkID: network.id, networkName: network.name, endpointID: EngineID.random(), interface: interface, address: address.description,
            prefixLength: allocator.subnet.prefixLength, gateway: gateway.description, macAddress: "", requested: requested.requested,
            dnsNames: names, plugins: BridgeChain.plugins(
                network: network, address: address, subnet: allocator.subnet, gateway: gateway, macAddress: requested.MacAddress, ports: ports),
            result: [:])
        sandboxes[containerID]?.endpoints.append(endpoint)
        do {
            endpoint.result = try await CNIPlugin.add(endpoint.plugins, target: .init(containerID: containerID, namespace: sandbox.path, interface: interface))
        } catch {
            sandboxes[containerID]?.endpoints.removeAll { $0.endpointID == endpoint.endpointID }
            throw error
        }
        endpoint.macAddress = BridgeChain.macAddress(in: endpoint.result, interface: interface)
        if let index = sandboxes[containerID]?.endpoints.firstIndex(where: { $0.endpointID == endpoint.endpointID }) {
            sandboxes[containerID]?.endpoints[index] = endpoint
        }
        return endpoint
    }

    /// Undoes an endpoint's CNI chain (its namespace may be gone already after a reboot).
    private func leave(_ sandbox: StoredSandbox, _ endpoint: StoredEndpoint) async throws {
        let namespace = NetworkNamespace.exists(at: sandbox.path) ? sandbox.path : ""
        try await CNIPlugin.delete(
            endpoint.plugins, result: endpoint.result, target: .init(containerID: sandbox.containerID, namespace: namespace, interface: endpoint.interface))
    }

    /// What the container learns of its sandbox.
    private func description(of sandbox: StoredSandbox) -> Sandbox {
        var ports: [String: [PortBinding]] = [:]
        for port in sandbox.ports { ports[port.key, default: []].append(PortBinding(hostIP: port.hostIP, hostPort: String(port.hostPort))) }
        let nameserver = sandbox.endpoints.first { networks[$0.networkID]?.hasEmbeddedDNS ?? false }?.gateway
        return Sandbox(
            path: sandbox.path, endpoints: sandbox.endpoints.map { AttachedEndpoint(network: $0.networkName, settings: $0.settings) },
            ports: ports, nameserver: nameserver)
    }
}
