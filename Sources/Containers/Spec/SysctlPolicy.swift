import Messages

/// Which `--sysctl`s a container may set: only those the kernel keeps per namespace, and only when the
/// container has that namespace of its own (Docker's whitelist, with runc's namespace checks).
enum SysctlPolicy {
    /// IPC sysctls outside the `fs.mqueue.` family.
    private static let ipcNames: Set<String> = [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ]

    /// Throws a 400 for the first sysctl the container may not set.
    static func validate(_ sysctls: [String: String], namespaces: NamespaceModes) throws {
        for name in sysctls.keys.sorted() {
            if ipcNames.contains(name) || name.hasPrefix("fs.mqueue.") {
                if namespaces.ipc == .host {
                    throw EngineError.invalidArgument("sysctl '\(name)' is not allowed in the hosts ipc namespace")
                }
            } else if name.hasPrefix("net.") {
                if namespaces.network == .host {
                    throw EngineError.invalidArgument("sysctl '\(name)' is not allowed in the hosts network namespace")
                }
            } else {
                throw EngineError.invalidArgument("sysctl '\(name)' is not whitelisted")
            }
        }
    }
}
