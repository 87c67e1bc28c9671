import Foundation
import HostCommands
import Messages

/// Network namespaces that outlive any process: a new namespace bind-mounted on a file, as
/// `ip netns add` does, so containerd's runc can join it and berthd can find it after a restart.
enum NetworkNamespace {
    /// Creates the namespace file `path` (util-linux `unshare --net=FILE`).
    static func create(at path: String) async throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) { remove(at: path) }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw EngineError.internal("cannot create the network namespace file \(path)")
        }
        let output = try await HostCommand(executable: "/usr/bin/unshare", arguments: ["--net=" + path, "/bin/true"]).run()
        guard output.status == 0 else {
            remove(at: path)
            throw EngineError.internal("cannot create a network namespace: \(String(decoding: output.stderr, as: UTF8.self))")
        }
    }

    /// Unmounts and deletes a namespace file; the namespace ends with its last process.
    static func remove(at path: String) {
        _ = umount2(path, Int32(MNT_DETACH))
        _ = unlink(path)
    }

    static func exists(at path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
