import Foundation
import Messages
import Supervision
import Testing

@testable import Containerd

/// berthd's containerd outlives the child that started it (issue 19): a crash of the child, or a stop
/// with live-restore, leaves it to be adopted; a stop without live-restore stops it, adopted or not;
/// what is not ours is left alone, and one of ours that does not answer is replaced.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/containerd")), .serialized)
struct ContainerdLifetimeTests {
    @Test func aCrashOfTheChildLeavesContainerdToTheNextIncarnation() async throws {
        try await Self.withRoots { roots in
            let tree = roots.tree(liveRestore: false)
            try await tree.start()
            let first = try #require(await Self.pid(tree))
            try await tree.inject(.crash, into: "containerd")
            try await Self.waitFor {
                let child = await tree.snapshot().children[0]
                return child.incarnation == 2 && child.state == .running
            }
            #expect(await Self.pid(tree) == first)
            #expect(await tree.snapshot().children[0].info["adopted"] == "true")
            try await tree.shutdown()
            #expect(!Self.runs(first))
        }
    }

    @Test func liveRestoreLeavesContainerdRunningAndAStopWithoutItStopsTheAdoptedOne() async throws {
        try await Self.withRoots { roots in
            let leaving = roots.tree(liveRestore: true)
            try await leaving.start()
            let first = try #require(await Self.pid(leaving))
            #expect(await leaving.snapshot().children[0].info["adopted"] == "false")
            try await leaving.shutdown()
            #expect(Self.runs(first))
            let next = roots.tree(liveRestore: false)
            try await next.start()
            #expect(await Self.pid(next) == first)
            #expect(await next.snapshot().children[0].info["adopted"] == "true")
            try await next.shutdown()
            #expect(!Self.runs(first))
        }
    }

    @Test func aPidfileNamingAnotherProgramIsLeftAlone() async throws {
        try await Self.withRoots { roots in
            let other = Process()
            other.executableURL = URL(fileURLWithPath: "/bin/sleep")
            other.arguments = ["60"]
            try other.run()
            defer { other.terminate() }
            try FileManager.default.createDirectory(atPath: roots.layout.state, withIntermediateDirectories: true)
            try "\(other.processIdentifier)".write(toFile: roots.layout.pidfile, atomically: true, encoding: .utf8)
            let tree = roots.tree(liveRestore: false)
            try await tree.start()
            let started = try #require(await Self.pid(tree))
            #expect(started != other.processIdentifier)
            #expect(await tree.snapshot().children[0].info["adopted"] == "false")
            try await tree.shutdown()
            #expect(other.isRunning)
        }
    }

    @Test func aContainerdOfOursThatDoesNotAnswerIsReplaced() async throws {
        try await Self.withRoots { roots in
            let leaving = roots.tree(liveRestore: true)
            try await leaving.start()
            let silent = try #require(await Self.pid(leaving))
            try await leaving.shutdown()
            kill(silent, SIGSTOP)
            let next = roots.tree(liveRestore: false)
            try await next.start()
            let replacement = try #require(await Self.pid(next))
            #expect(replacement != silent)
            #expect(!Self.runs(silent))
            try await next.shutdown()
            #expect(!Self.runs(replacement))
        }
    }

    /// The data and exec roots of one test, in a fresh directory short enough for unix socket paths.
    struct Roots {
        let root: String
        var layout: ContainerdLayout { ContainerdLayout(dataRoot: root + "/data", execRoot: root + "/run") }

        /// A supervisor with one containerd child on these roots.
        func tree(liveRestore: Bool) -> Supervisor {
            let root = self.root
            return Supervisor(name: "test", children: [
                ChildSpec(name: "containerd") { _ in
                    ContainerdChild(dataRoot: root + "/data", execRoot: root + "/run", address: "", liveRestore: { liveRestore })
                }
            ])
        }
    }

    static func withRoots(_ body: (Roots) async throws -> Void) async throws {
        var template = Array("/tmp/bcl-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) } }
        let root = try #require(made)
        defer {
            // Whatever a failed test left running on these roots.
            let layout = Roots(root: root).layout
            if let pid = ContainerdAdoption.pid(inPidfile: try? String(contentsOfFile: layout.pidfile, encoding: .utf8)), runs(pid) { kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(atPath: root)
        }
        try await body(Roots(root: root))
    }

    /// The containerd pid the child reported.
    static func pid(_ tree: Supervisor) async -> Int32? {
        Int32(await tree.snapshot().children[0].info["pid"] ?? "")
    }

    /// Whether `pid` runs containerd (a zombie's command line is empty).
    static func runs(_ pid: Int32) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").contains("containerd")
    }

    static func waitFor(_ condition: () async -> Bool) async throws {
        for _ in 0..<200 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("condition not met within 10 s")
    }
}
