/// Go's `filepath.Clean` for "/"-separated paths: the shortest lexically equivalent path.
///
/// Runs of "/" become one, "." elements go, ".." removes the element before it (and is dropped at the
/// root of an absolute path); an empty result is ".". No file system access.
public enum CleanPath {
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var elements: [Substring] = []
        var leadingParents = 0
        for element in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch element {
            case ".":
                continue
            case "..":
                if !elements.isEmpty {
                    elements.removeLast()
                } else if !rooted {
                    leadingParents += 1
                }
            default:
                elements.append(element)
            }
        }
        let parts = Array(repeating: Substring(".."), count: leadingParents) + elements
        let body = parts.joined(separator: "/")
        if rooted { return "/" + body }
        return body.isEmpty ? "." : body
    }
}
