import CNamespaces
import Foundation
import Messages

/// Network namespaces that outlive any process: a new namespace bind-mounted on a file, as
/// `ip netns add` does, so containerd's runc can join it and berthd can find it after a restart.
/// It is made in-process, on a thread of its own that leaves the namespace when it ends: no program
/// to start, and `lo` comes up at once.
enum NetworkNamespace {
    /// Creates the namespace file `path` with the loopback interface up.
    static func create(at path: String) async throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) { remove(at: path) }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw EngineError.internal("cannot create the network namespace file \(path)")
        }
        let failure: String? = await withCheckedContinuation { continuation in
            // A thread of its own: unshare(CLONE_NEWNET) moves only the calling thread, which then ends.
            let thread = Thread { continuation.resume(returning: makeNamespace(boundTo: path)) }
            thread.start()
        }
        if let failure {
            remove(at: path)
            throw EngineError.internal("cannot create a network namespace: \(failure)")
        }
    }

    /// Unmounts and deletes a namespace file; the namespace ends with its last process.
    static func remove(at path: String) {
        _ = umount2(path, Int32(MNT_DETACH))
        _ = unlink(path)
    }

    static func exists(at path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// On the calling thread: a new network namespace, bound to `path`, with `lo` up; nil or the error.
    private static func makeNamespace(boundTo path: String) -> String? {
        guard berth_unshare_network() == 0 else { return "unshare: \(String(cString: strerror(errno)))" }
        guard mount("/proc/thread-self/ns/net", path, nil, UInt(MS_BIND), nil) == 0 else {
            return "bind mount on \(path): \(String(cString: strerror(errno)))"
        }
        return loopbackUp()
    }

    /// Sets `IFF_UP` on `lo` in the calling thread's namespace.
    private static func loopbackUp() -> String? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return "socket: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { name in
            for (index, byte) in "lo".utf8.enumerated() { name[index] = byte }
        }
        guard ioctl(descriptor, UInt(SIOCGIFFLAGS), &request) == 0 else { return "reading lo's flags: \(String(cString: strerror(errno)))" }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        guard ioctl(descriptor, UInt(SIOCSIFFLAGS), &request) == 0 else { return "bringing lo up: \(String(cString: strerror(errno)))" }
        return nil
    }
}
