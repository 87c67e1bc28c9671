import Glibc

/// A failed system call on a container's files: the call, the path it was given and `errno`.
/// Public operations turn it into an `EngineError` (see `EngineError+Filesystem.swift`).
struct SystemCallError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    /// Captures the current `errno`.
    init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// Whether the path, or a directory on the way to it, does not exist.
    var isNotFound: Bool { code == ENOENT || code == ENOTDIR }

    var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }

    /// Runs `call` until it does not fail with `EINTR`; throws for any other failure (a negative result).
    @discardableResult
    static func retrying<Result: BinaryInteger>(_ operation: String, _ path: String, _ call: () -> Result) throws -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw SystemCallError(operation, path) }
        }
    }
}
