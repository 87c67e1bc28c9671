import Foundation

/// What the containerd child does, at each start, about a containerd that an earlier berthd or an
/// earlier incarnation left on its roots. The child gathers the facts (the pidfile, the command line of
/// the pid it names, whether the socket answers); this type decides.
///
/// Only a process whose command line names our configuration file is ours: a stale pidfile whose pid
/// another program now holds, or the containerd of another data root, is left alone and a new one
/// started. One of ours is adopted when it answers; when it does not (or was started with another
/// configuration than the one berthd writes now) it is replaced: stopped, and a new one started.
enum ContainerdAdoption: Equatable, Sendable {
    /// Nothing of ours runs: start a containerd.
    case start
    /// Ours, and it answers: connect to it, start nothing.
    case adopt
    /// Ours, but silent or configured otherwise: stop it, then start a containerd.
    case replace

    /// The decision. `answers` is asked only about a process of ours (so a foreign socket is never probed)
    /// and must itself be bounded in time.
    static func decide(commandLine: String?, configFile: String, configChanged: Bool, answers: () async -> Bool) async -> Self {
        guard isOurs(commandLine: commandLine, configFile: configFile) else { return .start }
        if configChanged { return .replace }
        return await answers() ? .adopt : .replace
    }

    /// The pid a pidfile names, if it names one other than init's.
    static func pid(inPidfile text: String?) -> Int32? {
        guard let text, let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return nil }
        return pid
    }

    /// Whether `commandLine` (as `/proc/<pid>/cmdline` reads: arguments ended by NULs) is a containerd
    /// started with `--config <configFile>`.
    static func isOurs(commandLine: String?, configFile: String) -> Bool {
        guard let commandLine else { return false }
        let arguments = commandLine.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard let program = arguments.first, program.split(separator: "/").last == "containerd" else { return false }
        return zip(arguments.dropFirst(), arguments.dropFirst(2)).contains { $0 == "--config" && $1 == configFile }
            || arguments.dropFirst().contains("--config=" + configFile)
    }
}
