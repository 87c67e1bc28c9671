import Foundation
import HostCommands
import Logging
import Messages

/// What berthd sets up on the host once, before any network's ``BridgeRules``, as dockerd does at start:
/// its own filter chains, IP forwarding, and (for networks without inter-container communication)
/// iptables on bridged traffic.
///
/// `FORWARD` jumps first to `BERTH-FORWARD`, whose first rule jumps to `BERTH-ISOLATION-STAGE-1` (which
/// may send on to `BERTH-ISOLATION-STAGE-2`): every network's isolation comes before any network's accepts,
/// whatever order the networks were set up in. Like dockerd, berthd leaves the chains, the forwarding and
/// the FORWARD policy as they are when it stops; the next start finds them and adds nothing.
enum HostFirewall {
    static let chainPrefix = "BERTH-"
    static let forwardChain = "BERTH-FORWARD"
    static let isolationStage1 = "BERTH-ISOLATION-STAGE-1"
    static let isolationStage2 = "BERTH-ISOLATION-STAGE-2"
    static let chains = [forwardChain, isolationStage1, isolationStage2]

    /// The jumps into berthd's chains, each the first rule of its chain.
    static let jumps = [
        IPTablesRule(table: "filter", chain: "FORWARD", spec: ["-m", "comment", "--comment", "berth", "-j", forwardChain]),
        IPTablesRule(table: "filter", chain: forwardChain, spec: ["-m", "comment", "--comment", "berth", "-j", isolationStage1]),
    ]

    static let forwardingSetting = "/proc/sys/net/ipv4/ip_forward"
    static let bridgeFilteringSetting = "/proc/sys/net/bridge/bridge-nf-call-iptables"

    /// Creates berthd's chains and the jumps into them, where missing.
    static func prepare() async throws {
        for chain in chains {
            _ = try await IPTables.run(["-w", "-t", "filter", "-N", chain])
        }
        for jump in jumps where try await !jump.run("-C") {
            guard try await jump.run("-I") else {
                throw EngineError.internal("cannot add iptables rule \(jump.spec.joined(separator: " ")) to \(jump.chain)")
            }
        }
    }

    /// Turns IP forwarding on if it is off and then, unless `keepPolicy` (`ip-forward-no-drop`), sets the
    /// FORWARD policy to DROP, as dockerd does: a host that did not forward should not start forwarding
    /// between all its interfaces because containers need it. Forwarding that was on is left alone.
    static func enableForwarding(keepPolicy: Bool, logger: Logger?) async throws {
        guard try setting(forwardingSetting) != "1" else { return }
        try write("1", to: forwardingSetting)
        logger?.info("turn on ip forwarding", metadata: ["forward-policy": "\(keepPolicy ? "unchanged" : "DROP")"])
        guard !keepPolicy else { return }
        guard try await IPTables.run(["-w", "-t", "filter", "-P", "FORWARD", "DROP"]) else {
            throw EngineError.internal("cannot set the iptables FORWARD policy to DROP")
        }
    }

    /// Makes iptables see traffic between the ports of a bridge (loading `br_netfilter` if needed), as
    /// dockerd does for a network with inter-container communication off.
    static func filterBridgedTraffic() async throws {
        if !FileManager.default.fileExists(atPath: bridgeFilteringSetting) {
            _ = try? await HostCommand(executable: "/usr/sbin/modprobe", arguments: ["br_netfilter"]).run()
        }
        guard FileManager.default.fileExists(atPath: bridgeFilteringSetting) else {
            throw EngineError.internal("cannot turn off inter-container communication: the br_netfilter kernel module is not available")
        }
        if try setting(bridgeFilteringSetting) != "1" { try write("1", to: bridgeFilteringSetting) }
    }

    private static func setting(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func write(_ value: String, to path: String) throws {
        do {
            try Data((value + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw EngineError.internal("cannot write \(value) to \(path): \(error)")
        }
    }
}
