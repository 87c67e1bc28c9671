import Foundation
import Messages

/// Paths inside a container's root filesystem, resolved as the container would see them: a symlink,
/// absolute or relative, never leads outside the root (`/etc/passwd -> /../../host` stays inside).
enum RootfsPath {
    /// The host path of `path` inside `root`, with every symlink on the way followed within `root`.
    static func resolve(_ path: String, in root: String) throws -> String {
        var pending = components(of: path)
        var resolved: [String] = []
        var linksFollowed = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let hostPath = root + "/" + (resolved + [component]).joined(separator: "/")
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: hostPath) else {
                resolved.append(component)
                continue
            }
            linksFollowed += 1
            guard linksFollowed <= 255 else {
                throw EngineError.invalidArgument("too many levels of symbolic links resolving \(path) in the container")
            }
            if target.hasPrefix("/") { resolved = [] }
            pending = components(of: target) + pending
        }
        return root + "/" + resolved.joined(separator: "/")
    }

    /// The contents of the file at `path` inside `root`, or `nil` when there is none.
    static func contents(of path: String, in root: String) throws -> String? {
        let hostPath = try resolve(path, in: root)
        guard let data = FileManager.default.contents(atPath: hostPath) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// An absolute path with `.`, `..` and repeated slashes worked out lexically, as Go's `path.Clean`.
    static func clean(_ path: String) -> String {
        var resolved: [String] = []
        for component in components(of: path) {
            if component == ".." { _ = resolved.popLast() } else { resolved.append(component) }
        }
        return "/" + resolved.joined(separator: "/")
    }

    private static func components(of path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }
}
