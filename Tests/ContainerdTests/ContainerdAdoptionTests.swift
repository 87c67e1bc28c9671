import Foundation
import Synchronization
import Testing

@testable import Containerd

/// The adoption decision (issue 19): which process is ours, when it is adopted, replaced, or left alone.
@Suite struct ContainerdAdoptionTests {
    static let config = "/run/berth/containerd/config.toml"

    /// A command line as `/proc/<pid>/cmdline` reads.
    static func commandLine(_ arguments: String...) -> String {
        arguments.map { $0 + "\0" }.joined()
    }

    @Test func onlyContainerdStartedWithOurConfigurationIsOurs() {
        let ours = Self.commandLine("/usr/bin/containerd", "--config", Self.config)
        #expect(ContainerdAdoption.isOurs(commandLine: ours, configFile: Self.config))
        #expect(ContainerdAdoption.isOurs(commandLine: Self.commandLine("containerd", "--config=" + Self.config), configFile: Self.config))
        // Another data root's containerd, a longer path sharing our prefix, another program given our
        // file, an argument order that is not an option, a vanished process.
        #expect(!ContainerdAdoption.isOurs(commandLine: Self.commandLine("/usr/bin/containerd", "--config", "/other/config.toml"), configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: Self.commandLine("/usr/bin/containerd", "--config", Self.config + ".old"), configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: Self.commandLine("/bin/sleep", "--config", Self.config), configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: Self.commandLine("/usr/bin/containerd-shim-runc-v2", "--config", Self.config), configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: Self.commandLine("/usr/bin/containerd", Self.config, "--config"), configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: "", configFile: Self.config))
        #expect(!ContainerdAdoption.isOurs(commandLine: nil, configFile: Self.config))
    }

    @Test func aPidfileNamesAPidAboveInit() {
        #expect(ContainerdAdoption.pid(inPidfile: "4242\n") == 4242)
        #expect(ContainerdAdoption.pid(inPidfile: nil) == nil)
        #expect(ContainerdAdoption.pid(inPidfile: "") == nil)
        #expect(ContainerdAdoption.pid(inPidfile: "1") == nil)
        #expect(ContainerdAdoption.pid(inPidfile: "-7") == nil)
        #expect(ContainerdAdoption.pid(inPidfile: "12ab") == nil)
        #expect(ContainerdAdoption.pid(inPidfile: "99999999999") == nil)
    }

    @Test func oursIsAdoptedWhenItAnswersAndReplacedWhenSilentOrReconfigured() async {
        let ours = Self.commandLine("/usr/bin/containerd", "--config", Self.config)
        #expect(await ContainerdAdoption.decide(commandLine: ours, configFile: Self.config, configChanged: false) { true } == .adopt)
        #expect(await ContainerdAdoption.decide(commandLine: ours, configFile: Self.config, configChanged: false) { false } == .replace)
        let asked = Mutex(false)
        #expect(await ContainerdAdoption.decide(commandLine: ours, configFile: Self.config, configChanged: true) { asked.withLock { $0 = true }; return true } == .replace)
        #expect(!asked.withLock { $0 })
    }

    @Test func whatIsNotOursIsNeverProbedAndAContainerdIsStarted() async {
        let asked = Mutex(false)
        let probe: () async -> Bool = { asked.withLock { $0 = true }; return true }
        for commandLine in [nil, Self.commandLine("/bin/sleep", "100"), Self.commandLine("/usr/bin/containerd", "--config", "/elsewhere.toml")] {
            #expect(await ContainerdAdoption.decide(commandLine: commandLine, configFile: Self.config, configChanged: false, answers: probe) == .start)
            #expect(await ContainerdAdoption.decide(commandLine: commandLine, configFile: Self.config, configChanged: true, answers: probe) == .start)
        }
        #expect(!asked.withLock { $0 })
    }
}
