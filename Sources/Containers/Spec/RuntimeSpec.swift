import Foundation
import Messages

/// The OCI runtime configuration (`config.json` in a bundle): the subset of runtime-spec 1.0.2 that runc
/// needs to run a Docker-style container. Property names are the spec's JSON keys; `nil` members are
/// left out of the document.
///
/// It holds no hooks (networking is set up by joining a prepared namespace) and no Windows or VM parts.
public struct RuntimeSpec: Sendable, Codable, Equatable {
    /// The runtime-spec version runc 1.1 reports (`runc --version`).
    public static let version = "1.0.2-dev"

    public var ociVersion: String
    public var process: Process
    public var root: Root
    public var hostname: String?
    public var domainname: String?
    public var mounts: [Mount]
    public var annotations: [String: String]?
    public var linux: Linux

    /// The document as `config.json` bytes: keys sorted, so equal specs give equal bytes.
    public func encoded() throws -> Data {
        // Written through JSONValue (keys sorted): JSONEncoder takes several times as long for a spec with
        // a seccomp profile, on every start.
        try JSONValue(encoding: self).encoded()
    }

    /// The container's main process.
    public struct Process: Sendable, Codable, Equatable {
        public var terminal: Bool?
        public var consoleSize: ConsoleSize?
        public var user: User
        public var args: [String]
        public var env: [String]
        public var cwd: String
        public var capabilities: Capabilities
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool?
        public var apparmorProfile: String?
        public var oomScoreAdj: Int?
    }

    public struct ConsoleSize: Sendable, Codable, Equatable {
        public var height: UInt
        public var width: UInt
    }

    public struct User: Sendable, Codable, Equatable {
        public var uid: UInt32
        public var gid: UInt32
        public var umask: UInt32?
        public var additionalGids: [UInt32]?
    }

    /// Capability names like `CAP_CHOWN`. Docker leaves `inheritable` and `ambient` empty, and gives a
    /// non-root user only the bounding set (as `execve` would).
    public struct Capabilities: Sendable, Codable, Equatable {
        public var bounding: [String]
        public var effective: [String]?
        public var inheritable: [String]?
        public var permitted: [String]?
        public var ambient: [String]?
    }

    /// One `setrlimit`: `type` like `RLIMIT_NOFILE`.
    public struct Rlimit: Sendable, Codable, Equatable {
        public var type: String
        public var soft: UInt64
        public var hard: UInt64
    }

    public struct Root: Sendable, Codable, Equatable {
        public var path: String
        public var readonly: Bool?
    }

    public struct Mount: Sendable, Codable, Equatable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]

        public init(destination: String, type: String, source: String, options: [String]) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }
}
