import Digests
import ContainerdAPI
import Foundation
import GRPCCore
import Messages
import Supervision
import Testing

@testable import Containerd

/// A real containerd, started by a `ContainerdChild` under a throwaway supervisor in a fresh directory
/// under /tmp (short, so that its unix socket paths stay under 100 bytes), plus a second gRPC client on
/// the same socket to look at containerd directly.
struct ContainerdHarness: Sendable {
    let ref: ChildRef<any ContainerdService>
    let probe: ContainerdConnection
    /// A scratch directory for the test's own files.
    let scratch: String

    /// Starts containerd, runs `body`, and stops containerd and removes its directory however `body` ends.
    static func with(_ body: (ContainerdHarness) async throws -> Void) async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (dataRoot, execRoot) = (root + "/data", root + "/run")
        let supervisor = Supervisor(
            name: "test",
            children: [
                ChildSpec(name: "containerd", requestTimeout: .seconds(120)) { _ in
                    ContainerdChild(dataRoot: dataRoot, execRoot: execRoot, address: "")
                }
            ])
        try await supervisor.start()
        do {
            let socket = ContainerdLayout(dataRoot: dataRoot, execRoot: execRoot).socket
            let probe = try ContainerdConnection(socket: socket, namespace: ContainerdChild.namespace)
            let scratch = root + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let harness = ContainerdHarness(ref: supervisor.ref(to: "containerd"), probe: probe, scratch: scratch)
            try await withThrowingTaskGroup { group in
                group.addTask { try await probe.client.runConnections() }
                defer { probe.client.beginGracefulShutdown() }
                try await body(harness)
            }
        } catch {
            try await supervisor.shutdown()
            throw error
        }
        try await supervisor.shutdown()
    }

    /// Sends a request to the containerd child.
    func ask<Reply: Sendable>(_ request: @escaping @Sendable (any ContainerdService) async throws -> Reply) async throws -> Reply {
        try await ref.ask(request)
    }

    /// The refs of unfinished content writes in berthd's namespace.
    func ingests() async throws -> [String] {
        try await probe.content.listStatuses(.init()).statuses.map(\.ref)
    }

    /// Every snapshot of a snapshotter in berthd's namespace, by name.
    func snapshots(_ snapshotter: String) async throws -> [String: Containerd_Services_Snapshots_V1_Kind] {
        try await probe.snapshots.list(.with { $0.snapshotter = snapshotter }) { response in
            var all: [String: Containerd_Services_Snapshots_V1_Kind] = [:]
            for try await message in response.messages {
                for info in message.info { all[info.name] = info.kind }
            }
            return all
        }
    }

    /// Writes `bytes` to a new file in the scratch directory; returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Makes an uncompressed layer tar with /bin/tar from `files` (relative path → contents); directories
    /// are made as needed. Returns the tar's path.
    func layer(_ name: String, _ files: [String: String]) throws -> String {
        let tree = scratch + "/" + name + ".tree"
        for (path, contents) in files {
            let full = tree + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: full, atomically: false, encoding: .utf8)
        }
        let tar = scratch + "/" + name + ".tar"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = ["-C", tree, "-cf", tar, "."]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return tar
    }

    private static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/bct-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else { throw EngineError.internal("mkdtemp failed") }
        return made
    }
}

/// `sha256:<hex>` of some bytes, computed by the test itself.
func sha256(_ bytes: some DataProtocol) -> String {
    SHA256Digest.of(bytes)
}

/// `sha256:<hex>` of a string's UTF-8 bytes.
func sha256(_ text: String) -> String {
    SHA256Digest.of(Array(text.utf8))
}

/// Random bytes, so every test run imports blobs the store has not seen.
func randomBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255) }
}
