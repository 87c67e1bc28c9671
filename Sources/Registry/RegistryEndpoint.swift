import Digests

/// Where a registry answers: its host (as docker writes it, `host[:port]`), whether it is spoken to over
/// plain HTTP, and the URLs of its API.
///
/// Registries on loopback (`localhost`, `127.0.0.0/8`, `::1`) and those listed as insecure are spoken to
/// over plain HTTP; all others over HTTPS. An insecure entry is a `host[:port]` (a bare host matches any
/// port) or an IPv4 CIDR such as `10.0.0.0/8`. Unlike dockerd, an insecure registry is not first tried
/// over HTTPS.
struct RegistryEndpoint: Sendable, Hashable {
    /// `host[:port]`, e.g. `127.0.0.1:5000`, `[::1]:5000`, `registry-1.docker.io`.
    let host: String
    let isPlainHTTP: Bool

    /// Validates `host` and decides the scheme.
    init(host: String, insecureRegistries: [String]) throws {
        guard let (name, _) = Self.split(host) else {
            throw RegistryError(.invalidArgument, "invalid registry host \"\(host)\": expected host[:port]")
        }
        self.host = host
        self.isPlainHTTP = Self.isLoopback(name) || insecureRegistries.contains { Self.matches(entry: $0, host: host, name: name) }
    }

    /// `http://host` or `https://host`.
    var origin: String { (isPlainHTTP ? "http://" : "https://") + host }

    /// The base of the API: `…/v2/`.
    var apiBase: String { origin + "/v2/" }

    /// The URL of `path` below `/v2/<repository>/`.
    func url(_ repository: String, _ path: String) -> String { origin + "/v2/" + repository + "/" + path }

    /// How the docker CLI names a repository of this registry in messages: `host/repository`, or just
    /// the repository for Docker Hub (without `library/`).
    func displayName(_ repository: String) -> String {
        guard Self.dockerHubHosts.contains(host) else { return host + "/" + repository }
        return repository.hasPrefix("library/") ? String(repository.dropFirst("library/".count)) : repository
    }

    static let dockerHubHosts: Set<String> = ["docker.io", "index.docker.io", "registry-1.docker.io"]

    /// Splits `host[:port]` into the host name (without brackets) and the port; nil when malformed.
    static func split(_ host: String) -> (name: String, port: Int?)? {
        let name: Substring
        var rest: Substring
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            name = host[host.index(after: host.startIndex)..<close]
            rest = host[host.index(after: close)...]
            guard !name.isEmpty, name.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let colon = host.firstIndex(of: ":") ?? host.endIndex
            name = host[..<colon]
            rest = host[colon...]
            let allowed = name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }
            guard !name.isEmpty, allowed else { return nil }
        }
        guard !rest.isEmpty else { return (String(name), nil) }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst()
        guard let port = Int(rest), rest.allSatisfy(\.isNumber), (1...65535).contains(port) else { return nil }
        return (String(name), port)
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(_ name: String) -> Bool {
        if name.lowercased() == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        return ipv4(name).map { $0 >> 24 == 127 } ?? false
    }

    static func matches(entry: String, host: String, name: String) -> Bool {
        var entry = entry
        for scheme in ["http://", "https://"] where entry.hasPrefix(scheme) { entry.removeFirst(scheme.count) }
        while entry.hasSuffix("/") { entry.removeLast() }
        if entry == host || entry == name { return true }
        let parts = entry.split(separator: "/")
        guard parts.count == 2, let network = ipv4(String(parts[0])), let bits = UInt32(parts[1]), bits <= 32,
              let address = ipv4(name)
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return address & mask == network & mask
    }

    /// A dotted-quad IPv4 address as a number.
    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isNumber), let byte = UInt32(part), byte <= 255 else { return nil }
            value = value << 8 | byte
        }
        return value
    }
}

/// Checks for names that end up in URL paths.
enum RegistryNames {
    /// Throws `.invalidArgument` unless `repository` is a valid repository path
    /// (lower-case components of `[a-z0-9]` joined by `.`, `_`, `__` or dashes, separated by `/`).
    static func validate(repository: String) throws {
        let component = #/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*/#
        let valid = repository.count <= 255 && !repository.isEmpty
            && repository.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0.wholeMatch(of: component) != nil }
        guard valid else { throw RegistryError(.invalidArgument, "invalid repository name \"\(repository)\"") }
    }

    /// Throws unless `reference` is a tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`) or a sha256 digest.
    static func validate(reference: String) throws {
        if reference.hasPrefix(SHA256Digest.prefix) { return try SHA256Digest.validate(reference) }
        guard reference.wholeMatch(of: #/[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}/#) != nil else {
            throw RegistryError(.invalidArgument, "invalid tag \"\(reference)\"")
        }
    }
}
