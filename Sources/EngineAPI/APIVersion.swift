/// An Engine API version such as 1.51, and the range berthd speaks.
public struct APIVersion: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    /// The newest version berthd speaks (advertised in `Api-Version`).
    public static let current = APIVersion(major: 1, minor: 51)
    /// The oldest version berthd accepts.
    public static let minimum = APIVersion(major: 1, minor: 24)

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses "1.41".
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// Splits a `/v1.xx/...` path into its version and the rest; unversioned paths get `current`.
    static func split(path: String) throws(EngineErrorResponse) -> (APIVersion, String) {
        guard path.hasPrefix("/v"), let slash = path.dropFirst(2).firstIndex(of: "/") else {
            if path.hasPrefix("/v"), let version = APIVersion(path.dropFirst(2)) { return (try checked(version), "/") }
            return (current, path)
        }
        let text = path[path.index(path.startIndex, offsetBy: 2)..<slash]
        guard let version = APIVersion(text) else { return (current, path) }
        return (try checked(version), String(path[slash...]))
    }

    private static func checked(_ version: APIVersion) throws(EngineErrorResponse) -> APIVersion {
        if version < minimum {
            throw EngineErrorResponse(
                status: .badRequest,
                message: "client version \(version) is too old. Minimum supported API version is \(minimum), please upgrade your client to a newer version")
        }
        if version > current {
            throw EngineErrorResponse(status: .badRequest, message: "client version \(version) is too new. Maximum supported API version is \(current)")
        }
        return version
    }
}
