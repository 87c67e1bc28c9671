import Messages

/// A path as a client names it in a container (`/etc/passwd`, `etc/`, `data/.`): absolute, or
/// relative to `/`. It is cleaned lexically first, as Docker does (`a/../b` is `b`; `..` stops at
/// `/`), so `..` only comes back through symlink targets.
struct ContainerPath {
    /// The path as given, for messages.
    var raw: String
    var components: [String]
    /// Whether the path ends in `/` or `/.`: it asserts a directory, so a symlink at its end is followed.
    var assertsDirectory: Bool
    /// The name Docker gives the resource in an archive and in a stat: the last component, `.` for a
    /// path ending in `/.` (the directory's contents), `/` for the root.
    var baseName: String

    init(_ raw: String) throws {
        guard !raw.isEmpty else { throw EngineError.invalidArgument("bad parameter: path cannot be empty") }
        self.raw = raw
        components = Self.clean(raw)
        var trimmed = Substring(raw)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let endsWithDot = trimmed == "." || trimmed.hasSuffix("/.")
        assertsDirectory = endsWithDot || raw.hasSuffix("/")
        baseName = endsWithDot ? "." : components.last ?? "/"
    }

    /// The components of `path` taken as absolute, with `.`, empty components and `..` resolved.
    static func clean(_ path: String) -> [String] {
        var components: [String] = []
        for component in path.split(separator: "/") where component != "." {
            if component == ".." {
                _ = components.popLast()
            } else {
                components.append(String(component))
            }
        }
        return components
    }
}
