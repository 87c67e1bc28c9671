import Foundation

/// The pidfile and the data-root lock that keep a second berthd from starting on the same state.
///
/// Both are held with `flock` for the life of the process, so a berthd that was killed leaves no lock
/// behind; the pidfile is removed on a clean exit.
final class Pidfile: Sendable {
    let path: String
    private let descriptors: [Int32]

    /// Takes both locks, or explains who holds them.
    init(path: String, dataRoot: String) throws(PidfileError) {
        var taken: [Int32] = []
        for file in [dataRoot + "/berthd.lock", path] {
            let fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                taken.forEach { close($0) }
                throw PidfileError(message: "cannot open \(file): \(String(cString: strerror(errno)))")
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                close(fd)
                taken.forEach { close($0) }
                throw PidfileError(message: "another berthd (pid \(holder)) is running with \(file); stop it first, or use another --data-root and --pidfile")
            }
            taken.append(fd)
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(taken[1], 0)
        _ = pid.withUnsafeBytes { pwrite(taken[1], $0.baseAddress, $0.count, 0) }
        self.path = path
        self.descriptors = taken
    }

    /// Removes the pidfile and releases the locks.
    func release() {
        unlink(path)
        descriptors.forEach { close($0) }
    }
}

struct PidfileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
