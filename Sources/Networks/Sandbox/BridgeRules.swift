import HostCommands
import Messages

/// The iptables rules of one bridge network, set up once per network (as dockerd does) rather than per
/// container: the CNI `bridge` plugin's `ipMasq` and the `firewall` plugin would add a NAT chain and
/// forward rules for every container, a score of iptables runs on each start.
///
/// A network that is not internal masquerades what leaves its subnet through another device, and
/// accepts in FORWARD what comes from its bridge, replies to it, and connections to published ports
/// (DNAT by `portmap`), even where the host's FORWARD policy drops. An internal network drops what
/// would cross its bridge's boundary. Every rule carries the comment `berth:<device>`.
struct BridgeRules: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var table: String
        var chain: String
        var spec: [String]
    }

    let rules: [Rule]

    init(device: String, subnet: String, internal: Bool) {
        func rule(_ table: String, _ chain: String, _ match: [String], _ target: String) -> Rule {
            Rule(table: table, chain: chain, spec: match + ["-m", "comment", "--comment", "berth:\(device)", "-j", target])
        }
        if `internal` {
            rules = [
                rule("filter", "FORWARD", ["-i", device, "!", "-o", device], "DROP"),
                rule("filter", "FORWARD", ["-o", device, "!", "-i", device], "DROP"),
            ]
        } else {
            rules = [
                rule("nat", "POSTROUTING", ["-s", subnet, "!", "-o", device], "MASQUERADE"),
                rule("filter", "FORWARD", ["-i", device], "ACCEPT"),
                rule("filter", "FORWARD", ["-o", device, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT"], "ACCEPT"),
            ]
        }
    }

    init?(_ network: StoredNetwork) {
        guard network.driver == "bridge", !network.device.isEmpty, let subnet = network.subnet else { return nil }
        self.init(device: network.device, subnet: subnet, internal: network.internal)
    }

    /// Adds the rules that are missing, at the head of their chains.
    func install() async throws {
        for rule in rules where try await !Self.iptables(rule, "-C") {
            guard try await Self.iptables(rule, "-I") else {
                throw EngineError.internal("cannot add iptables rule \(rule.spec.joined(separator: " ")) to \(rule.chain)")
            }
        }
    }

    /// Deletes the rules, every copy of them.
    func remove() async {
        for rule in rules {
            while (try? await Self.iptables(rule, "-D")) == true {}
        }
    }

    /// Runs `iptables -w -t TABLE ACTION CHAIN SPEC…`; whether it succeeded.
    private static func iptables(_ rule: Rule, _ action: String) async throws -> Bool {
        let arguments = ["-w", "-t", rule.table, action, rule.chain] + rule.spec
        return try await HostCommand(executable: "/usr/sbin/iptables", arguments: arguments).run().status == 0
    }
}
