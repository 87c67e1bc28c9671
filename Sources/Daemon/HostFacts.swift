import Foundation
import Messages

/// Reads the facts about the host that `/version`, `/info` and `/metrics` report.
enum HostFacts {
    static func read(dataRoot: String) -> DaemonFacts {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let osRelease = keyValues(of: "/etc/os-release")
        return DaemonFacts(
            id: engineID(dataRoot: dataRoot), hostname: DaemonFacts.nodeName(), version: BerthVersion.version,
            gitCommit: BerthVersion.gitCommit, kernelVersion: release,
            operatingSystem: osRelease["PRETTY_NAME"] ?? "Linux", osVersion: osRelease["VERSION_ID"] ?? "",
            architecture: machine, cpus: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int64(ProcessInfo.processInfo.physicalMemory),
            cgroupVersion: FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") ? "2" : "1",
            cgroupDriver: "cgroupfs", startedAtNano: UnixTime.nowNano)
    }

    /// The engine's identity, made once and kept in the data-root.
    private static func engineID(dataRoot: String) -> String {
        let path = dataRoot + "/engine-id"
        if let id = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty {
            return id
        }
        let id = UUID().uuidString.lowercased()
        try? id.write(toFile: path, atomically: true, encoding: .utf8)
        return id
    }

    private static func keyValues(of path: String) -> [String: String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1].trimmingCharacters(in: ["\""]) }
        }
        return values
    }
}
