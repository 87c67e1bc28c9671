/// A kernel's `major.minor`, the precision seccomp profiles' `minKernel` compares at: `6.1.0-18-amd64`
/// and `6.1` are the same version.
public struct KernelVersion: Sendable, Comparable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Reads the leading `major.minor` of a release string such as `6.18.44-fc-v782` or `4.8`.
    public init?(release: String) {
        let numbers = release.split(separator: ".", maxSplits: 2).prefix(2).map { part in
            Int(part.prefix { $0.isASCII && $0.isNumber })
        }
        guard numbers.count == 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
