extension SeccompProfile {
    /// Berth's default profile, following Docker's policy: anything not listed fails with EPERM; the
    /// ``unconditionalSyscalls`` are allowed; the rest is allowed only with the capability that governs
    /// it (`mount`, `unshare`, `setns` with CAP_SYS_ADMIN, `init_module` with CAP_SYS_MODULE, …).
    ///
    /// Without CAP_SYS_ADMIN, `clone` may not create namespaces and `clone3` (whose flags seccomp cannot
    /// read) fails with ENOSYS so that libc falls back to `clone`. `ptrace` follows Docker: allowed on
    /// kernels from 4.8 (which closed the hole that let a traced process slip past seccomp), and with
    /// CAP_SYS_PTRACE on older ones. `personality` may only select Linux and its harmless variants.
    public static let builtin = SeccompProfile(
        defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
        archMap: [
            ArchitectureGroup(architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
            ArchitectureGroup(architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"]),
        ],
        syscalls: [.allow(unconditionalSyscalls)]
            + [.allow(["ptrace", "process_vm_readv", "process_vm_writev"], includes: Condition(minKernel: "4.8"))]
            + personalities.map { .allow(["personality"], args: [.equal(index: 0, $0)]) }
            + architectureSpecific + capabilityGated
            + [
                .allow(["clone"], args: [.maskedZero(index: 0, namespaceFlags)], excludes: Condition(caps: ["CAP_SYS_ADMIN"])),
                Rule(
                    names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38, comment: "ENOSYS: libc falls back to clone",
                    excludes: Condition(caps: ["CAP_SYS_ADMIN"])),
            ])

    /// `PER_LINUX`, `PER_LINUX32`, `UNAME26`, `PER_LINUX32|UNAME26`, and the query `0xffffffff`.
    private static let personalities: [UInt64] = [0x0, 0x8, 0x20000, 0x20008, 0xffff_ffff]

    /// `CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET`.
    private static let namespaceFlags: UInt64 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000
        | 0x2000_0000 | 0x4000_0000

    private static let architectureSpecific: [Rule] = [
        .allow(["arch_prctl"], includes: Condition(arches: ["amd64", "x32"])),
        .allow(["modify_ldt"], includes: Condition(arches: ["amd64", "x32", "x86"])),
        .allow(
            ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"],
            includes: Condition(arches: ["arm", "arm64"])),
    ]

    /// Syscalls allowed only to a container that holds the capability governing them.
    private static let capabilityGated: [Rule] = ([
        ("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
        (
            "CAP_SYS_ADMIN",
            [
                "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie", "mount",
                "mount_setattr", "move_mount", "name_to_handle_at", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
                "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
            ]
        ),
        ("CAP_SYS_BOOT", ["reboot"]),
        ("CAP_SYS_CHROOT", ["chroot"]),
        ("CAP_SYS_MODULE", ["delete_module", "init_module", "finit_module"]),
        ("CAP_SYS_PACCT", ["acct"]),
        ("CAP_SYS_PTRACE", ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"]),
        ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
        ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
        ("CAP_SYS_TTY_CONFIG", ["vhangup"]),
        ("CAP_SYS_NICE", ["get_mempolicy", "mbind", "set_mempolicy"]),
        ("CAP_SYSLOG", ["syslog"]),
        ("CAP_BPF", ["bpf"]),
        ("CAP_PERFMON", ["perf_event_open"]),
    ] as [(String, [String])]).map { capability, names in .allow(names, includes: Condition(caps: [capability])) }
}

extension SeccompProfile.Rule {
    static func allow(
        _ names: [String], args: [RuntimeSpec.SyscallArg]? = nil, includes: SeccompProfile.Condition? = nil,
        excludes: SeccompProfile.Condition? = nil
    ) -> Self {
        Self(names: names, action: "SCMP_ACT_ALLOW", args: args, includes: includes, excludes: excludes)
    }
}

extension RuntimeSpec.SyscallArg {
    /// Argument `index` equals `value`.
    static func equal(index: UInt, _ value: UInt64) -> Self {
        Self(index: index, value: value, valueTwo: nil, op: "SCMP_CMP_EQ")
    }

    /// Argument `index` has none of the bits in `mask`.
    static func maskedZero(index: UInt, _ mask: UInt64) -> Self {
        Self(index: index, value: mask, valueTwo: nil, op: "SCMP_CMP_MASKED_EQ")
    }
}
