import Foundation
import HostCommands
import Messages

/// Calls CNI plugins (the binaries of Debian's `containernetworking-plugins`) the way the CNI 1.0
/// specification describes: the command and the container in environment variables, the network
/// configuration on stdin, the result or an error object on stdout.
struct CNIPlugin: Sendable {
    static let directory = "/usr/lib/cni"
    static let version = "1.0.0"

    enum Command: String { case add = "ADD", del = "DEL" }

    /// The container the call is about: its ID, network namespace ("" once it is gone) and interface.
    struct Target: Sendable {
        var containerID: String
        var namespace: String
        var interface: String
    }

    /// Runs the plugin `config["type"]` with `prevResult` added to its configuration; its result
    /// (ADD) or nil (DEL).
    static func call(_ command: Command, config: JSONValue, prevResult: JSONValue?, target: Target) async throws -> JSONValue? {
        guard case .object(var members) = config, case .string(let type)? = config["type"] else {
            throw EngineError.internal("invalid CNI configuration")
        }
        if let prevResult { members.append(("prevResult", prevResult)) }
        let environment = [
            "CNI_COMMAND": command.rawValue, "CNI_CONTAINERID": target.containerID, "CNI_NETNS": target.namespace,
            "CNI_IFNAME": target.interface, "CNI_PATH": directory, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        let output = try await HostCommand(
            executable: directory + "/" + type, environment: environment, input: JSONValue.object(members).encoded()
        ).run()
        let result = output.stdout.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: output.stdout)
        guard output.status == 0 else {
            let message = result?["msg"].flatMap(\.stringValue) ?? String(decoding: output.stderr, as: UTF8.self)
            let details = result?["details"].flatMap(\.stringValue).map { ": " + $0 } ?? ""
            throw EngineError.internal("CNI plugin \(type) \(command.rawValue) failed: \(message)\(details)")
        }
        return command == .add ? result : nil
    }

    /// Runs a chain of plugins for ADD, each given the previous one's result; if one fails, the ones
    /// already done are undone, so nothing stays half-configured. The last result.
    static func add(_ chain: [JSONValue], target: Target) async throws -> JSONValue {
        var result: JSONValue?
        for (index, config) in chain.enumerated() {
            do {
                result = try await call(.add, config: config, prevResult: result, target: target)
            } catch {
                try? await delete(Array(chain[..<index]), result: result, target: target)
                throw error
            }
        }
        return result ?? [:]
    }

    /// Runs a chain's DEL in reverse order, going on past failures; throws the first failure.
    static func delete(_ chain: [JSONValue], result: JSONValue?, target: Target) async throws {
        var firstError: (any Error)?
        for config in chain.reversed() {
            do {
                _ = try await call(.del, config: config, prevResult: result, target: target)
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }
}
