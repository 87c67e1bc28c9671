import HostCommands

/// The version and commit that `runc --version` prints, read once per containerd incarnation (at the first request for it).
struct RuncVersion: Sendable {
    var version = "unknown"
    var commit = ""

    /// Runs `runc --version`; unknown if runc is missing.
    static func read() async -> RuncVersion {
        guard let output = try? await HostCommand(executable: "/usr/bin/env", arguments: ["runc", "--version"]).run() else { return RuncVersion() }
        return parse(String(decoding: output.stdout, as: UTF8.self))
    }

    /// Parses `runc version 1.1.5+ds1\ncommit: …`.
    static func parse(_ text: String) -> RuncVersion {
        var result = RuncVersion()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("runc version ") { result.version = String(line.dropFirst("runc version ".count)) }
            if line.hasPrefix("commit: ") { result.commit = String(line.dropFirst("commit: ".count)) }
        }
        return result
    }
}
