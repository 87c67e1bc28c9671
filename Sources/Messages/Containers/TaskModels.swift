import Foundation

/// A mount as containerd describes a snapshot: `mount -t type -o options source target`.
public struct FilesystemMount: Sendable, Codable, Hashable {
    public var type: String
    public var source: String
    public var options: [String]

    public init(type: String, source: String, options: [String]) {
        self.type = type
        self.source = source
        self.options = options
    }
}

/// Where a task's standard streams go: FIFO paths (empty = not connected). Without a terminal, stdout
/// and stderr are both set or both empty (containerd's runc shim requires it).
public struct TaskStdio: Sendable, Codable, Hashable {
    public var stdin: String
    public var stdout: String
    public var stderr: String
    public var terminal: Bool

    public init(stdin: String = "", stdout: String = "", stderr: String = "", terminal: Bool = false) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.terminal = terminal
    }
}

/// How a process ended.
public struct TaskExit: Sendable, Codable, Hashable {
    public var status: Int
    /// Unix time in nanoseconds (0 when containerd did not say).
    public var exitedAtNano: Int64

    public init(status: Int, exitedAtNano: Int64) {
        self.status = status
        self.exitedAtNano = exitedAtNano
    }
}

/// A task as containerd reports it.
public struct TaskInfo: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable {
        case created, running, stopped, paused, pausing, unknown
    }

    public var id: String
    public var pid: Int
    public var status: Status
    public var exit: TaskExit?

    public init(id: String, pid: Int, status: Status, exit: TaskExit?) {
        self.id = id
        self.pid = pid
        self.status = status
        self.exit = exit
    }
}
