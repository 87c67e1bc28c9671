#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Messages

/// An open log file. Readers keep theirs open across rotation: a renamed or removed file stays readable
/// through its descriptor. Its calls are plain system calls on an immutable descriptor, safe from any thread.
final class LogFile: Sendable {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Opens `path` for appending, creating it (mode 0640) if needed.
    static func openForAppending(_ path: String) throws(EngineError) -> LogFile {
        try LogFile(path: path, descriptor: retryingInterrupts("open \(path)") { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640) })
    }

    /// Opens `path` for reading; nil if it does not exist.
    static func openForReading(_ path: String) throws(EngineError) -> LogFile? {
        while true {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 { return LogFile(path: path, descriptor: descriptor) }
            if errno == ENOENT { return nil }
            if errno != EINTR { throw failure("open \(path)") }
        }
    }

    /// The file's current size.
    func size() throws(EngineError) -> Int64 {
        var info = stat()
        _ = try Self.retryingInterrupts("stat \(path)") { fstat(descriptor, &info) }
        return Int64(info.st_size)
    }

    /// Appends all of `bytes`.
    func append(_ bytes: [UInt8]) throws(EngineError) {
        var written = 0
        while written < bytes.count {
            written += try Self.retryingInterrupts("write \(path)") {
                bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written) }
            }
        }
    }

    /// Cuts the file back to its first `size` bytes (a torn entry off its end).
    func truncate(to size: Int64) throws(EngineError) {
        _ = try Self.retryingInterrupts("truncate \(path)") { ftruncate(descriptor, off_t(size)) }
    }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file.
    func read(at offset: Int64, count: Int) throws(EngineError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try Self.retryingInterrupts("read \(path)") {
                bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled)) }
            }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes.prefix(filled))
    }

    /// Renames `source` to `destination`, replacing it; a missing `source` is not an error.
    static func move(_ source: String, to destination: String) throws(EngineError) {
        if rename(source, destination) != 0, errno != ENOENT { throw failure("rename \(source)") }
    }

    /// Removes `path`; a missing file is not an error.
    static func remove(_ path: String) throws(EngineError) {
        if unlink(path) != 0, errno != ENOENT { throw failure("remove \(path)") }
    }

    private static func retryingInterrupts<Result: BinaryInteger>(_ what: String, _ call: () -> Result) throws(EngineError) -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw failure(what) }
        }
    }

    private static func failure(_ what: String) -> EngineError {
        .internal("\(what): \(String(cString: strerror(errno)))")
    }
}
