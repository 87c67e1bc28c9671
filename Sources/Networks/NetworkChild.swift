import Foundation
import Logging
import Messages
import Supervision

/// The `network` child: networks (the predefined `bridge`, `host` and `none`, and user bridge
/// networks), their addresses, and the network namespaces of running containers, wired with CNI
/// plugins. What it has set up is in `network.db`, so a new incarnation (or berthd after a crash)
/// finds its sandboxes again and can undo them.
///
/// The pieces: `+Networks` (create, inspect, list, remove, prune), `+Sandboxes` (attach, connect,
/// disconnect, detach), `+Resolution` (the embedded DNS server's answers).
public actor NetworkChild: SupervisedChild, NetworkService {
    let store: NetworkStore
    let planner: SubnetPlanner
    let events: any EventBus
    /// The default bridge's device, `bip` and `icc`.
    let defaultBridge: (device: String, bip: String, interContainer: Bool)
    /// `ip-forward-no-drop`: leave the FORWARD policy alone when turning forwarding on.
    let keepForwardPolicy: Bool
    /// `<exec-root>/netns`: the containers' namespace files.
    let namespaceDirectory: String

    /// Networks by ID.
    var networks: [String: StoredNetwork] = [:]
    /// Sandboxes of running containers, by container ID.
    var sandboxes: [String: StoredSandbox] = [:]
    var reservations: [String: [PortReservation]] = [:]
    /// Sandboxes being torn down in the background, by container ID.
    var teardowns: [String: (token: Int, task: Task<Void, Never>)] = [:]
    var teardownCount = 0
    /// The last address handed out on each network.
    var lastAddress: [String: IPv4Address] = [:]
    /// The iptables setup of each network with a container since this incarnation started, by ID.
    var ruleSetups: [String: Task<Void, any Error>] = [:]
    var resolver: EmbeddedResolver?
    var hostNameservers: [String] = []
    var logger: Logger?

    public init(config: DaemonConfig, events: any EventBus) throws {
        store = try NetworkStore(dataRoot: config.dataRoot)
        planner = SubnetPlanner(pools: config.defaultAddressPools.isEmpty ? SubnetPlanner.dockerDefaults : config.defaultAddressPools)
        self.events = events
        defaultBridge = (config.bridge, config.bip, config.icc)
        keepForwardPolicy = config.ipForwardNoDrop
        namespaceDirectory = config.execRoot + "/netns"
        for network in try store.networks() { networks[network.id] = network }
        for sandbox in try store.sandboxes() { sandboxes[sandbox.containerID] = sandbox }
    }

    public func run(_ context: ChildContext) async throws {
        logger = context.logger
        try await HostFirewall.enableForwarding(keepPolicy: keepForwardPolicy, logger: context.logger)
        try await HostFirewall.prepare()
        try await configureDefaultBridge()
        hostNameservers = ResolvConf.nameservers(path: "/etc/resolv.conf")
        for (containerID, sandbox) in sandboxes { reservations[containerID] = sandbox.ports.compactMap(PortReservation.rebind) }
        let resolver = EmbeddedResolver(logger: context.logger) { [weak self] lookup in
            await self?.answer(lookup) ?? .notFound
        }
        self.resolver = resolver
        for network in networks.values where network.hasEmbeddedDNS {
            try? await listenForNames(on: network)
        }
        context.report(["networks": "\(networks.count)", "sandboxes": "\(sandboxes.count)"])
        context.ready()
        await context.untilStopped()
        await finishTeardowns()
        await resolver.shutdown()
        for reservation in reservations.values.joined() { reservation.release() }
        reservations = [:]
    }

    public func overview() async throws -> NetworkOverview {
        NetworkOverview(networkNames: networks.values.map(\.name).sorted(), addressPools: planner.pools)
    }

    /// Gives the default bridge its device and subnet: `bip` if set, else the subnet it had, else the
    /// address its device has already (left by an earlier berthd), else the first free subnet of the
    /// pools.
    private func configureDefaultBridge() async throws {
        guard var bridge = networks.values.first(where: { $0.name == "bridge" }) else { return }
        let original = bridge
        bridge.device = defaultBridge.device
        bridge.options["com.docker.network.bridge.name"] = defaultBridge.device
        bridge.options["com.docker.network.bridge.default_bridge"] = "true"
        bridge.options[StoredNetwork.iccOption] = defaultBridge.interContainer ? "true" : "false"
        let replan = bridge.subnet == nil || bridge.userSubnet
        let existing = defaultBridge.bip.isEmpty && replan ? await BridgeDevice.address(defaultBridge.device) : nil
        if let bip = defaultBridge.bip.isEmpty ? existing : defaultBridge.bip {
            guard let subnet = IPv4Subnet(bip), let gateway = IPv4Address(bip.split(separator: "/")[0]) else {
                throw EngineError.invalidArgument("invalid bip: \(bip)")
            }
            bridge.subnet = subnet.description
            bridge.gateway = gateway.description
            bridge.userSubnet = !defaultBridge.bip.isEmpty
        } else if replan {
            guard let subnet = planner.nextSubnet(avoiding: takenSubnets(excluding: bridge.id)) else {
                throw EngineError.unavailable("no free subnet in the default address pools for the default bridge")
            }
            bridge.subnet = subnet.description
            bridge.gateway = subnet.firstHost.description
            bridge.userSubnet = false
        }
        if bridge != original {
            if BridgeRules(bridge) != BridgeRules(original) { await BridgeRules(original)?.remove() }
            try store.save(bridge)
            networks[bridge.id] = bridge
        }
    }

    /// The subnets a new network must not overlap: other networks' and the host's routes (other than
    /// through berthd's own bridges).
    func takenSubnets(excluding networkID: String? = nil) -> [IPv4Subnet] {
        let ours = networks.values.filter { $0.id != networkID }
        let devices = Set(networks.values.map(\.device).filter { !$0.isEmpty } + [defaultBridge.device])
        return ours.compactMap(\.subnetValue) + HostRoutes.subnets(excludingDevices: devices)
    }

    func publish(_ action: String, _ network: StoredNetwork, _ extra: [String: String] = [:]) async {
        var attributes = ["name": network.name, "type": network.driver]
        attributes.merge(extra) { _, new in new }
        await events.publish(EngineEvent(type: "network", action: action, actor: .init(id: network.id, attributes: attributes), timeNano: UnixTime.nowNano))
    }

    /// Installs a network's iptables rules once per incarnation (joins that arrive meanwhile wait for
    /// the same setup; a failed one is tried again by the next join).
    func installRules(of network: StoredNetwork) async throws {
        guard let rules = BridgeRules(network) else { return }
        let setup = ruleSetups[network.id] ?? Task {
            if rules.filtersBridgedTraffic { try await HostFirewall.filterBridgedTraffic() }
            try await rules.install()
        }
        ruleSetups[network.id] = setup
        do {
            try await setup.value
        } catch {
            ruleSetups[network.id] = nil
            throw error
        }
    }

    /// A network by full ID, name, or unique ID prefix.
    func resolveNetwork(_ ref: String) throws -> StoredNetwork {
        if let network = networks[ref] { return network }
        if let network = networks.values.first(where: { $0.name == ref }) { return network }
        let matches = ref.isEmpty ? [] : networks.values.filter { $0.id.hasPrefix(ref) }
        guard matches.count <= 1 else { throw EngineError.invalidArgument("network \(ref) is ambiguous (\(matches.count) matches found based on ID prefix)") }
        guard let network = matches.first else { throw EngineError.notFound("network \(ref) not found") }
        return network
    }
}
