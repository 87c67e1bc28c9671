import Foundation
import HostCommands
import Messages

/// The bridge devices of berthd's networks: the `bridge` plugin creates one when its first container
/// joins; berthd deletes it with its network (iproute2's `ip`).
enum BridgeDevice {
    static func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: "/sys/class/net/\(name)") }

    /// The IPv4 address and prefix of an existing device (`172.17.0.1/16`), nil if it has none.
    static func address(_ name: String) async -> String? {
        guard exists(name), let output = try? await HostCommand(executable: "/sbin/ip", arguments: ["-j", "-4", "addr", "show", "dev", name]).run(),
            let links = try? JSONDecoder().decode([Link].self, from: output.stdout),
            let info = links.first?.addr_info.first(where: { $0.family == "inet" })
        else { return nil }
        return "\(info.local)/\(info.prefixlen)"
    }

    private struct Link: Decodable {
        struct Address: Decodable {
            var family: String
            var local: String
            var prefixlen: Int
        }
        var addr_info: [Address]
    }

    static func delete(_ name: String) async throws {
        guard !name.isEmpty, exists(name) else { return }
        let output = try await HostCommand(executable: "/sbin/ip", arguments: ["link", "delete", name, "type", "bridge"]).run()
        guard output.status == 0 || !exists(name) else {
            throw EngineError.internal("cannot delete bridge \(name): \(String(decoding: output.stderr, as: UTF8.self))")
        }
    }
}
