import Messages

/// The iptables rules of one bridge network, set up once per network (as dockerd does) rather than per
/// container: the CNI `bridge` plugin's `ipMasq` and the `firewall` plugin would add a NAT chain and
/// forward rules for every container, a score of iptables runs on each start.
///
/// They follow dockerd's, in berthd's own chains (see ``HostFirewall``):
/// - isolation: what leaves a network's bridge for another bridge goes from `BERTH-ISOLATION-STAGE-1`
///   to `BERTH-ISOLATION-STAGE-2`, which drops what enters any other network's bridge; an internal
///   network's bridge drops (in stage 1) what does not stay in its subnet;
/// - forwarding (`BERTH-FORWARD`, which the isolation stages come first in): accepted from the bridge to
///   elsewhere, replies and connections to published ports (DNAT by `portmap`) into it, and traffic between
///   its containers — dropped instead when inter-container communication is off (`enable_icc=false`);
///   an internal network accepts only the traffic between its containers;
/// - NAT: a network that is not internal masquerades what leaves its subnet through another device;
/// - loopback: `portmap` sets `route_localnet` on the bridge (so that ports published on 127.0.0.1
///   answer), which would let a container reach the host's services on 127.0.0.0/8 through its gateway
///   (CVE-2020-8558); INPUT drops what arrives on the bridge for 127.0.0.0/8 unless it belongs to a
///   connection the host made, as kube-proxy does.
///
/// No two rules of a chain match the same packet with different verdicts, so their order within
/// berthd's chains does not matter. Every rule carries the comment `berth:<device>`.
struct BridgeRules: Sendable, Equatable {
    let rules: [IPTablesRule]
    /// Whether the rules must see traffic between the bridge's own ports: with inter-container
    /// communication off, bridged frames have to go through iptables (`bridge-nf-call-iptables`).
    let filtersBridgedTraffic: Bool

    init(device: String, subnet: String, internal: Bool, interContainer: Bool) {
        func rule(_ table: String, _ chain: String, _ match: [String], _ target: String) -> IPTablesRule {
            IPTablesRule(table: table, chain: chain, spec: match + ["-m", "comment", "--comment", "berth:\(device)", "-j", target])
        }
        let stage1 = HostFirewall.isolationStage1, stage2 = HostFirewall.isolationStage2, forward = HostFirewall.forwardChain
        let localnet = rule(
            "filter", "INPUT",
            ["-i", device, "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT"],
            "DROP")
        let between = rule("filter", forward, ["-i", device, "-o", device], interContainer ? "ACCEPT" : "DROP")
        if `internal` {
            rules = [
                rule("filter", stage1, ["-i", device, "!", "-d", subnet], "DROP"),
                rule("filter", stage1, ["-o", device, "!", "-s", subnet], "DROP"),
                between,
                localnet,
            ]
        } else {
            rules = [
                rule("filter", stage1, ["-i", device, "!", "-o", device], stage2),
                rule("filter", stage2, ["-o", device], "DROP"),
                rule("filter", forward, ["-i", device, "!", "-o", device], "ACCEPT"),
                rule("filter", forward, ["!", "-i", device, "-o", device, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT"], "ACCEPT"),
                between,
                rule("nat", "POSTROUTING", ["-s", subnet, "!", "-o", device], "MASQUERADE"),
                localnet,
            ]
        }
        filtersBridgedTraffic = !interContainer
    }

    init?(_ network: StoredNetwork) {
        guard network.driver == "bridge", !network.device.isEmpty, let subnet = network.subnet else { return nil }
        self.init(device: network.device, subnet: subnet, internal: network.internal, interContainer: network.interContainer)
    }

    /// Adds the rules that are missing.
    func install() async throws {
        for rule in rules { try await rule.ensure() }
    }

    /// Deletes the rules, every copy of them.
    func remove() async {
        for rule in rules { await rule.remove() }
    }
}
