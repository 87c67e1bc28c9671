/// Lexical checks that keep extraction inside its root directory.
///
/// The checks look at strings only. They cannot see symlinks that earlier entries created on disk,
/// so an extractor must still refuse to follow links while creating files (for example by opening
/// every component with `O_NOFOLLOW`, or by resolving paths inside the root itself).
public enum TarPath {
    /// Normalizes a member path for extraction below a root: strips leading `./`, collapses `.` and
    /// empty components, resolves `..` against earlier components and drops a trailing `/`.
    /// Returns `.` for a path that names the root itself (`./`, `a/..`).
    ///
    /// Throws `ArchiveError` with code `.unsafePath` for an empty path, an absolute path (it is
    /// refused, not made relative), a path containing NUL, and a `..` that would climb above the
    /// root (`../etc/passwd`, `a/../../b`).
    public static func safeRelative(_ path: String) throws -> String {
        guard !path.isEmpty else { throw ArchiveError.unsafePath("empty path in archive") }
        guard !path.utf8.contains(0) else { throw ArchiveError.unsafePath("path \(quoted(path)) contains NUL") }
        guard !path.hasPrefix("/") else { throw ArchiveError.unsafePath("absolute path \(quoted(path)) in archive") }
        guard let components = resolve(path.split(separator: "/", omittingEmptySubsequences: true), from: []) else {
            throw ArchiveError.unsafePath("path \(quoted(path)) leaves the extraction root")
        }
        return components.isEmpty ? "." : components.joined(separator: "/")
    }

    /// Whether a symlink at `entryPath` whose target is `target` stays inside the root when the
    /// target is resolved lexically from the link's directory. Absolute targets, empty targets and
    /// unsafe entry paths count as escaping.
    public static func isSafeSymlink(target: String, at entryPath: String) -> Bool {
        guard !target.isEmpty, !target.hasPrefix("/"), !target.utf8.contains(0),
              let entry = try? safeRelative(entryPath), entry != "."
        else { return false }
        let directory = entry.split(separator: "/").dropLast().map(String.init)
        return resolve(target.split(separator: "/", omittingEmptySubsequences: true), from: directory) != nil
    }

    /// Applies `components` to `base`; nil when a `..` climbs above the root.
    private static func resolve(_ components: [Substring], from base: [String]) -> [String]? {
        var result = base
        for component in components {
            switch component {
            case ".": continue
            case "..":
                guard result.popLast() != nil else { return nil }
            default: result.append(String(component))
            }
        }
        return result
    }

    /// The path as the reader reports it: no leading `./`, no trailing `/`, `.` for the root.
    static func memberPath(_ raw: String) -> String {
        var path = Substring(raw)
        while path.hasPrefix("./") {
            path = path.dropFirst(2).drop { $0 == "/" }
        }
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        if path.isEmpty || path == "." { return "." }
        return String(path)
    }

    static func quoted(_ path: String) -> String {
        "\"\(path.count > 200 ? String(path.prefix(200)) + "…" : path)\""
    }
}
