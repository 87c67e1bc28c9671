import HostCommands
import Messages

/// One iptables rule: the table and chain it lives in and its match and target arguments.
struct IPTablesRule: Sendable, Equatable {
    var table: String
    var chain: String
    var spec: [String]

    /// Whether the rule lives in one of berthd's own chains (`BERTH-…`), where berthd decides the order.
    var inOwnChain: Bool { chain.hasPrefix(HostFirewall.chainPrefix) }

    /// The arguments of `iptables -w -t TABLE ACTION CHAIN SPEC…`.
    func arguments(_ action: String) -> [String] {
        ["-w", "-t", table, action, chain] + spec
    }

    /// Runs iptables with `action` (`-C`, `-I`, `-A`, `-D`) on the rule; whether it succeeded.
    func run(_ action: String) async throws -> Bool {
        try await IPTables.run(arguments(action))
    }

    /// Adds the rule unless it is there: appended in berthd's own chains, at the head of the host's.
    func ensure() async throws {
        guard try await !run("-C") else { return }
        guard try await run(inOwnChain ? "-A" : "-I") else {
            throw EngineError.internal("cannot add iptables rule \(spec.joined(separator: " ")) to \(chain)")
        }
    }

    /// Deletes the rule, every copy of it.
    func remove() async {
        while (try? await run("-D")) == true {}
    }
}

/// The host's `iptables`.
enum IPTables {
    static let executable = "/usr/sbin/iptables"

    /// Runs `iptables ARGUMENTS…`; whether it exited with 0.
    static func run(_ arguments: [String]) async throws -> Bool {
        try await HostCommand(executable: executable, arguments: arguments).run().status == 0
    }
}
