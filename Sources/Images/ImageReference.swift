import Messages

/// An image name as Docker parses it: `busybox` is `docker.io/library/busybox:latest`,
/// `127.0.0.1:5000/team/app@sha256:…` keeps its registry and digest.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The registry host, with its port if any (`docker.io`, `127.0.0.1:5000`).
    public var domain: String
    /// The repository path inside the registry (`library/busybox`).
    public var path: String
    public var tag: String?
    /// `sha256:<hex>`.
    public var digest: String?

    /// The registry Docker Hub names are normalized to.
    public static let defaultDomain = "docker.io"

    /// Parses `text`; a name without tag or digest gets `latest`. Throws Docker's "invalid reference
    /// format" error (a 400) otherwise.
    public init(parsing text: String, defaultTag: String? = "latest") throws(EngineError) {
        guard !text.isEmpty, text.utf8.count <= 512 else { throw Self.invalid(text) }
        var remainder = Substring(text)
        if let at = remainder.firstIndex(of: "@") {
            let digest = String(remainder[remainder.index(after: at)...])
            guard digest.wholeMatch(of: #/sha256:[a-f0-9]{64}/#) != nil else { throw Self.invalid(text) }
            self.digest = digest
            remainder = remainder[..<at]
        }
        let lastSlash = remainder.lastIndex(of: "/")
        if let colon = remainder.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let tag = String(remainder[remainder.index(after: colon)...])
            guard tag.wholeMatch(of: #/[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}/#) != nil else { throw Self.invalid(text) }
            self.tag = tag
            remainder = remainder[..<colon]
        }
        var components = remainder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase) {
            guard first.wholeMatch(of: #/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]+)?/#) != nil
            else { throw Self.invalid(text) }
            domain = first
            components.removeFirst()
        } else {
            domain = Self.defaultDomain
        }
        if domain == Self.defaultDomain && components.count == 1 { components.insert("library", at: 0) }
        for component in components where component.wholeMatch(of: #/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*/#) == nil {
            if component.lowercased().wholeMatch(of: #/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*/#) != nil {
                throw EngineError.invalidArgument("invalid reference format: repository name (\(components.joined(separator: "/"))) must be lowercase")
            }
            throw Self.invalid(text)
        }
        path = components.joined(separator: "/")
        guard (domain + "/" + path).utf8.count <= 255 else {
            throw EngineError.invalidArgument("invalid reference format: repository name must not be more than 255 characters")
        }
        if tag == nil && digest == nil { tag = defaultTag }
    }

    /// `docker.io/library/busybox`.
    public var repository: String { domain + "/" + path }

    /// The full normalized form: `docker.io/library/busybox:latest`.
    public var description: String {
        repository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    /// The short form Docker prints: `busybox:latest`, `127.0.0.1:5000/app:1`.
    public var familiar: String {
        familiarRepository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    /// The repository as Docker prints it: `busybox`, `team/app`, `127.0.0.1:5000/app`.
    public var familiarRepository: String {
        guard domain == Self.defaultDomain else { return repository }
        return path.hasPrefix("library/") ? String(path.dropFirst("library/".count)) : path
    }

    private static func invalid(_ text: String) -> EngineError {
        .invalidArgument("invalid reference format: \(text)")
    }
}
