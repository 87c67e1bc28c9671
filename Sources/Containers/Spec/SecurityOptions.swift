import Messages

/// A container's `SecurityOpt` list, read as Docker reads it. SELinux labels and AppArmor profiles are
/// accepted and ignored: this daemon runs neither.
struct SecurityOptions: Equatable {
    /// Which seccomp filter the container asked for.
    enum Seccomp: Equatable {
        /// The daemon's profile (its `seccomp-profile`, else the built-in one).
        case daemonDefault
        case unconfined
        /// A profile in Docker's format, as the client sent it (the CLI sends the file's content).
        case profile(String)
    }

    var noNewPrivileges = false
    var seccomp = Seccomp.daemonDefault

    init(_ options: [String]) throws {
        for option in options {
            if option == "no-new-privileges" {
                noNewPrivileges = true
                continue
            }
            if option == "disable" { continue }
            // `key=value`, or the old `key:value`.
            guard let separator = option.firstIndex(where: { $0 == "=" }) ?? option.firstIndex(of: ":") else {
                throw EngineError.invalidArgument("invalid --security-opt 1: \"\(option)\"")
            }
            let key = option[..<separator]
            let value = String(option[option.index(after: separator)...])
            switch key {
            case "label", "apparmor":
                continue
            case "seccomp":
                seccomp = value == "unconfined" ? .unconfined : .profile(value)
            case "no-new-privileges":
                guard let flag = GoSyntax.bool(value) else {
                    throw EngineError.invalidArgument("invalid --security-opt 2: \"\(option)\"")
                }
                noNewPrivileges = flag
            default:
                throw EngineError.invalidArgument("invalid --security-opt 2: \"\(option)\"")
            }
        }
    }
}
