import Foundation
import Messages

/// A seccomp profile in Docker's format (`default.json`, `--security-opt seccomp=…`, the daemon's
/// `seccomp-profile`): rules that apply only on some architectures, kernels or capability sets.
/// ``filter(capabilities:host:)`` reduces it to the plain filter runc takes, as Docker does: a rule is
/// kept when the container's bounding set holds all its `includes.caps` and none of its `excludes.caps`,
/// and likewise for the host's architecture and kernel version (`minKernel`).
public struct SeccompProfile: Sendable, Codable, Equatable {
    public var defaultAction: String?
    public var defaultErrnoRet: UInt?
    /// Either `architectures` (the old form) or `archMap`, which names the native architecture's
    /// companions (x86 and x32 beside x86_64).
    public var architectures: [String]?
    public var archMap: [ArchitectureGroup]?
    public var flags: [String]?
    public var syscalls: [Rule]?

    public struct ArchitectureGroup: Sendable, Codable, Equatable {
        public var architecture: String
        public var subArchitectures: [String]?
    }

    public struct Rule: Sendable, Codable, Equatable {
        public var name: String?
        public var names: [String]?
        public var action: String
        public var errnoRet: UInt?
        public var args: [RuntimeSpec.SyscallArg]?
        public var comment: String?
        public var includes: Condition?
        public var excludes: Condition?
    }

    /// What a rule's `includes` requires or its `excludes` rules out. Architectures are in Go's
    /// spelling (`amd64`, `arm64`, `x32`); `minKernel` is `major.minor`.
    public struct Condition: Sendable, Codable, Equatable {
        public var caps: [String]?
        public var arches: [String]?
        public var minKernel: String?
    }

    /// The libseccomp name of each Go architecture a host may have.
    private static let seccompArchitectures = [
        "amd64": "SCMP_ARCH_X86_64", "x86": "SCMP_ARCH_X86", "arm64": "SCMP_ARCH_AARCH64", "arm": "SCMP_ARCH_ARM",
        "ppc64le": "SCMP_ARCH_PPC64LE", "s390x": "SCMP_ARCH_S390X", "riscv64": "SCMP_ARCH_RISCV64",
    ]

    /// Decodes a profile; what does not decode is a 400 in Docker's words.
    public static func decode(_ json: Data) throws -> SeccompProfile {
        do {
            return try JSONDecoder().decode(SeccompProfile.self, from: json)
        } catch {
            throw EngineError.invalidArgument("Decoding seccomp profile failed: \(error)")
        }
    }

    /// The filter for a container with bounding set `capabilities` on `host`; `nil` for a profile with no
    /// default action and no rules, which Docker reads as "no filter".
    public func filter(capabilities: [String], host: SpecHost) throws -> RuntimeSpec.Seccomp? {
        let rules = syscalls ?? []
        guard let defaultAction, !defaultAction.isEmpty else {
            if rules.isEmpty { return nil }
            throw EngineError.invalidArgument("seccomp profile has syscall rules but no defaultAction")
        }
        if !(architectures ?? []).isEmpty && !(archMap ?? []).isEmpty {
            throw EngineError.invalidArgument(
                "'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'")
        }
        let native = Self.seccompArchitectures[host.architecture]
        let mapped = archMap?.first { $0.architecture == native }.map { [$0.architecture] + ($0.subArchitectures ?? []) }
        let kept = try rules.filter { try $0.applies(capabilities: capabilities, host: host) }
        return RuntimeSpec.Seccomp(
            defaultAction: defaultAction, defaultErrnoRet: defaultErrnoRet,
            architectures: (architectures.flatMap { $0.isEmpty ? nil : $0 }) ?? mapped, flags: flags,
            syscalls: try kept.map { try $0.syscall() })
    }
}

extension SeccompProfile.Rule {
    func applies(capabilities: [String], host: SpecHost) throws -> Bool {
        let excluded = excludes ?? SeccompProfile.Condition()
        let included = includes ?? SeccompProfile.Condition()
        if let arches = excluded.arches, arches.contains(host.architecture) { return false }
        if let caps = excluded.caps, caps.contains(where: capabilities.contains) { return false }
        if let minimum = try excluded.kernel(), host.kernel >= minimum { return false }
        if let arches = included.arches, !arches.isEmpty, !arches.contains(host.architecture) { return false }
        if let caps = included.caps, !caps.allSatisfy(capabilities.contains) { return false }
        if let minimum = try included.kernel(), host.kernel < minimum { return false }
        return true
    }

    func syscall() throws -> RuntimeSpec.Syscall {
        if let name, !name.isEmpty, !(names ?? []).isEmpty {
            throw EngineError.invalidArgument(
                "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'")
        }
        let args = args.flatMap { $0.isEmpty ? nil : $0 }
        let names = name.flatMap { $0.isEmpty ? nil : [$0] } ?? names ?? []
        return RuntimeSpec.Syscall(names: names, action: action, errnoRet: errnoRet, args: args)
    }
}

extension SeccompProfile.Condition {
    /// `minKernel` parsed; a malformed one is a 400.
    func kernel() throws -> KernelVersion? {
        guard let minKernel, !minKernel.isEmpty else { return nil }
        let parts = minKernel.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let version = KernelVersion(release: minKernel), version != KernelVersion(major: 0, minor: 0),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else {
            throw EngineError.invalidArgument("invalid kernel version: \"\(minKernel)\", expected \"<kernel>.<major>\"")
        }
        return version
    }
}
