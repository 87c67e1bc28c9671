extension RuntimeSpec {
    /// A seccomp filter as runc takes it: already reduced to the container's architecture and capabilities
    /// (see ``SeccompProfile`` for the conditional form profiles are written in).
    public struct Seccomp: Sendable, Codable, Equatable {
        /// `SCMP_ACT_ERRNO`, `SCMP_ACT_ALLOW`, …: what a syscall no rule names gets.
        public var defaultAction: String
        public var defaultErrnoRet: UInt?
        /// `SCMP_ARCH_X86_64`, …
        public var architectures: [String]?
        public var flags: [String]?
        public var syscalls: [Syscall]?
    }

    public struct Syscall: Sendable, Codable, Equatable {
        public var names: [String]
        public var action: String
        public var errnoRet: UInt?
        public var args: [SyscallArg]?
    }

    /// A condition on argument `index`: `op` like `SCMP_CMP_EQ` or `SCMP_CMP_MASKED_EQ` (mask `value`,
    /// compare with `valueTwo`).
    public struct SyscallArg: Sendable, Codable, Equatable {
        public var index: UInt
        public var value: UInt64
        public var valueTwo: UInt64?
        public var op: String
    }
}
