import Messages

/// `--ulimit`s as process rlimits. Only those asked for: the daemon adds no defaults, since raising a
/// limit past its own needs CAP_SYS_RESOURCE, which it may not hold.
enum Rlimits {
    /// The resources `setrlimit` knows, in `--ulimit`'s spelling.
    private static let names: Set<String> = [
        "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack",
    ]

    /// A negative value (Docker's -1) is unlimited.
    static func make(_ ulimits: [Ulimit]) throws -> [RuntimeSpec.Rlimit]? {
        guard !ulimits.isEmpty else { return nil }
        return try ulimits.map { ulimit in
            guard names.contains(ulimit.Name) else {
                throw EngineError.invalidArgument("invalid ulimit type: \(ulimit.Name)")
            }
            let soft = UInt64(bitPattern: ulimit.Soft)
            let hard = UInt64(bitPattern: ulimit.Hard)
            guard soft <= hard else {
                throw EngineError.invalidArgument(
                    "ulimit soft limit must be less than or equal to hard limit: \(ulimit.Soft) > \(ulimit.Hard)")
            }
            return RuntimeSpec.Rlimit(type: "RLIMIT_" + ulimit.Name.uppercased(), soft: soft, hard: hard)
        }
    }
}
