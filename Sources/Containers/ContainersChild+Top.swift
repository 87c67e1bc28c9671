import Foundation
import HostCommands
import Messages

extension ContainersChild {
    public func top(_ ref: String, psArguments: String?) async throws -> ProcessTable {
        let record = try resolve(ref)
        guard entries[record.id]?.run != nil, record.state.status != .restarting else {
            throw EngineError.conflict("Container \(record.id) is not running")
        }
        let pids = Set(try await subsystems.containerd.ask { try await $0.taskPids(record.id) })
        let arguments = (psArguments.flatMap { $0.isEmpty ? nil : $0 } ?? "-ef").split(separator: " ").map(String.init)
        let output = try await ProcessTableReader.run(arguments)
        return try ProcessTableReader.parse(output, keeping: pids)
    }
}

/// Runs the host's `ps` and keeps the rows of a container's processes, as Docker's `top` does.
enum ProcessTableReader {
    static func run(_ arguments: [String]) async throws -> String {
        let output = try await HostCommand(executable: "/bin/ps", arguments: arguments).run()
        guard output.status == 0 else {
            throw EngineError.internal("ps \(arguments.joined(separator: " ")) failed with status \(output.status)")
        }
        return String(decoding: output.stdout, as: UTF8.self)
    }

    /// The header's titles and the rows whose PID column names one of `pids`; the last column (the
    /// command) keeps its spaces.
    static func parse(_ output: String, keeping pids: Set<Int>) throws -> ProcessTable {
        let lines = output.split(separator: "\n")
        guard let header = lines.first else { throw EngineError.internal("ps printed nothing") }
        let titles = header.split(separator: " ").map(String.init)
        guard let pidColumn = titles.firstIndex(of: "PID") else {
            throw EngineError.invalidArgument("Couldn't find PID field in ps output")
        }
        let rows = lines.dropFirst().compactMap { line -> [String]? in
            var fields = line.split(separator: " ", maxSplits: titles.count - 1).map(String.init)
            guard fields.count == titles.count, let pid = Int(fields[pidColumn]), pids.contains(pid) else { return nil }
            fields[fields.count - 1] = fields[fields.count - 1].trimmingCharacters(in: .whitespaces)
            return fields
        }
        return ProcessTable(titles: titles, processes: rows)
    }
}
