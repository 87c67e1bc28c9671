/// A container process's environment as Docker makes it: `PATH` (unless the image or user sets one),
/// `HOSTNAME`, `TERM=xterm` with a TTY, then the container's `Env`, which replaces a default of the same
/// name and removes it when given as a bare name.
enum ProcessEnvironment {
    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static func make(env: [String], hostname: String, tty: Bool) -> [String] {
        var result = [defaultPath, "HOSTNAME=" + hostname] + (tty ? ["TERM=xterm"] : [])
        var defaultIndex: [Substring: Int] = [:]
        for (index, entry) in result.enumerated() {
            defaultIndex[entry.prefix { $0 != "=" }] = index
        }
        var removed = Set<Int>()
        for entry in env {
            let name = entry.prefix { $0 != "=" }
            guard let index = defaultIndex[name] else {
                if name.endIndex != entry.endIndex { result.append(entry) }
                continue
            }
            if name.endIndex == entry.endIndex {
                removed.insert(index)
            } else {
                result[index] = entry
                removed.remove(index)
            }
        }
        return result.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
