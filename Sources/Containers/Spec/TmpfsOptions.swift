import Messages

/// A `--tmpfs` mount's options: Docker's defaults (`noexec,nosuid,nodev,rprivate`) followed by the
/// user's, where a later option replaces an earlier one of the same kind (`exec` replaces `noexec`,
/// `size=1g` an earlier `size=`). Sizes pass through as written: the kernel reads `64m` itself.
enum TmpfsOptions {
    static let defaults = ["noexec", "nosuid", "nodev", "rprivate"]

    /// Flags, keyed by what they set: a flag and its negation share a key, all propagations share one.
    private static let flagKinds: [String: String] = {
        var kinds: [String: String] = [:]
        for (flag, negation) in [
            ("ro", "rw"), ("nosuid", "suid"), ("nodev", "dev"), ("noexec", "exec"), ("sync", "async"),
            ("mand", "nomand"), ("noatime", "atime"), ("nodiratime", "diratime"), ("relatime", "norelatime"),
            ("strictatime", "nostrictatime"),
        ] {
            kinds[flag] = flag
            kinds[negation] = flag
        }
        for flag in ["dirsync", "remount"] { kinds[flag] = flag }
        for propagation in ["bind", "rbind", "unbindable", "runbindable", "private", "rprivate", "shared", "rshared",
            "slave", "rslave"]
        {
            kinds[propagation] = "propagation"
        }
        return kinds
    }()

    /// The `key=value` options tmpfs takes.
    private static let dataKeys: Set<String> = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"]

    /// The options whose value the kernel reads as a size (`memparse`, then `%` of memory).
    private static let sizeKeys: Set<String> = ["size", "nr_blocks", "nr_inodes"]

    /// Whether the kernel takes `value` as a size: decimal digits (or `0x` and hex digits), an optional
    /// binary suffix, and for a share of memory a `%`. The kernel reads a number too long for 64 bits
    /// without complaint, so such a number passes here too.
    static func isSize(_ value: Substring) -> Bool {
        var rest = value.hasSuffix("%") ? value.dropLast() : value
        if let last = rest.last, "kKmMgGtTpPeE".contains(last) { rest = rest.dropLast() }
        if rest.hasPrefix("0x") || rest.hasPrefix("0X") {
            let digits = rest.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
        }
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The defaults merged with `data` (`size=64m,mode=1777`); an option tmpfs does not take is a 400.
    static func merged(with data: String) throws -> [String] {
        let options = defaults + (data.isEmpty ? [] : data.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        var seenKinds = Set<String>()
        var kept: [String] = []
        for option in options.reversed() where option != "defaults" {
            let kind: String
            if let flagKind = flagKinds[option] {
                kind = flagKind
            } else {
                let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, dataKeys.contains(String(parts[0])) else {
                    let quoted = parts.map { "\"\($0)\"" }.joined(separator: " ")
                    throw EngineError.invalidArgument("invalid tmpfs option [\(quoted)]")
                }
                if Self.sizeKeys.contains(String(parts[0])), !Self.isSize(parts[1]) {
                    throw EngineError.invalidArgument("invalid tmpfs option \(option): a size is a number with an optional k, m, g, t, p or e suffix, or a percentage")
                }
                kind = "data:" + parts[0]
            }
            if seenKinds.insert(kind).inserted { kept.append(option) }
        }
        return kept.reversed()
    }
}
