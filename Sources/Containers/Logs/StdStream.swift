/// One of a process's standard streams, numbered as Docker's multiplexed stream frames number them.
public enum StdStream: UInt8, Sendable, Hashable {
    case stdin = 0
    case stdout = 1
    case stderr = 2
    /// Errors of the daemon itself, sent in-band (`stdcopy.Systemerr`).
    case systemError = 3

    /// The name Docker's log files use (`"stdout"`, `"stderr"`).
    public var name: String {
        switch self {
        case .stdin: "stdin"
        case .stdout: "stdout"
        case .stderr: "stderr"
        case .systemError: "systemerr"
        }
    }

    init?(name: String) {
        switch name {
        case "stdin": self = .stdin
        case "stdout": self = .stdout
        case "stderr": self = .stderr
        case "systemerr": self = .systemError
        default: return nil
        }
    }
}
