import Foundation
import Glibc
import Messages

/// `--ulimit`s as process rlimits. Only those asked for: the daemon adds no defaults, since raising a
/// limit past its own needs CAP_SYS_RESOURCE, which it may not hold.
enum Rlimits {
    /// The resources `setrlimit` knows, in `--ulimit`'s spelling, with their numbers (the kernel's generic
    /// ones, which x86_64 and arm64 use; Glibc's header spells most of them as macros Swift cannot import).
    static let resources: [String: Int32] = [
        "cpu": 0, "fsize": 1, "data": 2, "stack": 3, "core": 4, "rss": 5, "nproc": 6, "nofile": 7, "memlock": 8,
        "as": 9, "locks": 10, "sigpending": 11, "msgqueue": 12, "nice": 13, "rtprio": 14, "rttime": 15,
    ]

    /// A negative value (Docker's -1) is unlimited. A limit the kernel would refuse when runc sets it is a
    /// 400 here rather than a failure of every start: `nofile` past `fs.nr_open`, and any hard limit
    /// above the host's ``RlimitCeilings``.
    static func make(_ ulimits: [Ulimit], ceilings: RlimitCeilings) throws -> [RuntimeSpec.Rlimit]? {
        guard !ulimits.isEmpty else { return nil }
        return try ulimits.map { ulimit in
            guard resources[ulimit.Name] != nil else {
                throw EngineError.invalidArgument("invalid ulimit type: \(ulimit.Name)")
            }
            let soft = UInt64(bitPattern: ulimit.Soft)
            let hard = UInt64(bitPattern: ulimit.Hard)
            guard soft <= hard else {
                throw EngineError.invalidArgument(
                    "ulimit soft limit must be less than or equal to hard limit: \(ulimit.Soft) > \(ulimit.Hard)")
            }
            if ulimit.Name == "nofile", hard > ceilings.openFiles {
                throw EngineError.invalidArgument(
                    "ulimit nofile: hard limit \(describe(hard)) is above the kernel's limit of open files per process "
                        + "(fs.nr_open = \(ceilings.openFiles))")
            }
            if let ceiling = ceilings.hard[ulimit.Name], hard > ceiling {
                throw EngineError.invalidArgument(
                    "ulimit \(ulimit.Name): hard limit \(describe(hard)) is above the daemon's own (\(describe(ceiling))), "
                        + "which it cannot raise without CAP_SYS_RESOURCE")
            }
            return RuntimeSpec.Rlimit(type: "RLIMIT_" + ulimit.Name.uppercased(), soft: soft, hard: hard)
        }
    }

    private static func describe(_ value: UInt64) -> String {
        value == UInt64.max ? "unlimited" : String(value)
    }
}

/// The largest limits a container's `--ulimit`s may ask for on this host.
public struct RlimitCeilings: Sendable, Hashable {
    /// `fs.nr_open`: no process may have a `nofile` limit above it, whatever its capabilities.
    public var openFiles: UInt64
    /// By `--ulimit` name, the hard limits runc cannot raise: the daemon's own when it lacks
    /// CAP_SYS_RESOURCE (its runtimes inherit them); empty when it holds it.
    public var hard: [String: UInt64]

    public init(openFiles: UInt64, hard: [String: UInt64] = [:]) {
        self.openFiles = openFiles
        self.hard = hard
    }

    /// No ceiling but the kernel's default `fs.nr_open`.
    public static let unlimited = RlimitCeilings(openFiles: 1 << 20)

    /// This process's: `fs.nr_open` from `/proc`, and its own hard limits unless `canRaise`.
    static func detect(canRaise: Bool) -> RlimitCeilings {
        let text = (try? String(contentsOfFile: "/proc/sys/fs/nr_open", encoding: .utf8)) ?? ""
        let openFiles = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? unlimited.openFiles
        guard !canRaise else { return RlimitCeilings(openFiles: openFiles) }
        var hard: [String: UInt64] = [:]
        for (name, resource) in Rlimits.resources {
            var limit = rlimit()
            if getrlimit(__rlimit_resource_t(resource), &limit) == 0 {
                hard[name] = UInt64(limit.rlim_max)  // RLIM_INFINITY is all ones, as unlimited is here
            }
        }
        return RlimitCeilings(openFiles: openFiles, hard: hard)
    }
}
