import CLibCap
import Messages

/// Docker's capability rules: the default set, `CapAdd`/`CapDrop` (with `ALL`) and `--privileged`.
/// Names are checked against libcap, so a name is valid exactly when this system's libcap knows it.
enum CapabilitySet {
    /// What a container gets unless told otherwise (Docker's default set).
    static let defaults = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    private static let all = "ALL"

    /// The container's capabilities, in a stable order: the defaults less drops, then adds; or every
    /// grantable capability for `privileged` and `CapAdd: ["ALL"]`.
    static func resolve(adds: [String], drops: [String], privileged: Bool, grantable: [String]) throws -> [String] {
        if privileged { return grantable }
        if adds.isEmpty && drops.isEmpty { return defaults }
        let drops = try normalize(drops)
        let adds = try normalize(adds)
        if adds.contains(all) { return grantable.filter { !drops.contains($0) } }
        if drops.contains(all) { return unique(adds) }
        return unique(defaults.filter { !drops.contains($0) } + adds)
    }

    /// `net_admin` and `cap_NET_ADMIN` become `CAP_NET_ADMIN`; `all` becomes `ALL`. An unknown name is a
    /// 400 in Docker's words.
    static func normalize(_ names: [String]) throws -> [String] {
        try names.map { name in
            let upper = name.uppercased()
            if upper == all { return upper }
            let full = upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
            guard isKnown(full) else { throw EngineError.invalidArgument("unknown capability: \"\(full)\"") }
            return full
        }
    }

    /// The capabilities the kernel knows and this process may still grant (its bounding set), by number.
    static func grantable() -> [String] {
        (0..<cap_max_bits()).filter { cap_get_bound($0) == 1 }.compactMap(name(of:))
    }

    /// Whether libcap names a capability `name` (`CAP_…`): it must read back unchanged, since
    /// `cap_from_name` also takes numbers and ignores what follows a name.
    private static func isKnown(_ name: String) -> Bool {
        var value: cap_value_t = 0
        guard cap_from_name(name.lowercased(), &value) == 0 else { return false }
        return self.name(of: value) == name
    }

    /// `CAP_CHOWN` for 0; `nil` for a number libcap has no name for.
    private static func name(of value: cap_value_t) -> String? {
        guard let cName = cap_to_name(value) else { return nil }
        defer { cap_free(cName) }
        let name = String(cString: cName).uppercased()
        return name.hasPrefix("CAP_") ? name : nil
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
