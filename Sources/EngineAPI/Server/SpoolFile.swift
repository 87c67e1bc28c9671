#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// The file one request body is written to as it arrives (see ``BodySpooling``).
///
/// It belongs to the task of one connection and is not shared (hence not `Sendable`). Body parts are
/// gathered into blocks of ``blockSize`` bytes; each block is written with plain POSIX calls on NIO's
/// blocking thread pool, so a slow disk holds neither an event loop nor a cooperative thread. While a block
/// is being written the connection reads nothing more, which is the back-pressure: NIO stops reading the
/// socket once the channel's small inbound buffer is full. Memory use is thus about one block per upload.
final class SpoolFile {
    /// How many bytes are gathered before they are written: a few socket reads' worth, so that an
    /// upload holds a quarter of a MiB, not megabytes (a large write buys nothing more here).
    static let blockSize = 1 << 18

    /// The file's path.
    let path: String
    /// The number of body bytes appended so far.
    private(set) var size: Int64 = 0
    private var descriptor: Int32?
    private var pending = ByteBuffer()
    private let threadPool: NIOThreadPool

    private init(path: String, descriptor: Int32, threadPool: NIOThreadPool) {
        self.path = path
        self.descriptor = descriptor
        self.threadPool = threadPool
    }

    deinit {
        // A safety net: the connection finishes or removes every file it creates.
        if let descriptor = self.descriptor {
            close(descriptor)
        }
    }

    /// Creates a new empty file, mode `0600`, with a unique name in `directory`; creates `directory`
    /// itself (mode `0700`, not its parents) when it is missing.
    static func create(in directory: String, threadPool: NIOThreadPool) async throws -> SpoolFile {
        let (path, descriptor) = try await threadPool.runIfActive { try Self.makeFile(in: directory) }
        return SpoolFile(path: path, descriptor: descriptor, threadPool: threadPool)
    }

    /// Appends `chunk`, writing to the file once a whole block is gathered.
    func append(_ chunk: ByteBuffer) async throws {
        self.size += Int64(chunk.readableBytes)
        if self.pending.readableBytes == 0 && chunk.readableBytes >= Self.blockSize {
            try await self.writeBlock(chunk)
            return
        }
        var chunk = chunk
        if self.pending.readableBytes == 0 {
            // The first chunk of a block sets its capacity, so appending the rest never doubles it.
            self.pending.reserveCapacity(Self.blockSize + chunk.readableBytes)
        }
        self.pending.writeBuffer(&chunk)
        if self.pending.readableBytes >= Self.blockSize {
            try await self.writeBlock(self.pending)
            // A new buffer rather than `clear()`: the pool may still hold the written block for a
            // moment, and clearing a shared buffer copies it.
            self.pending = ByteBuffer()
        }
    }

    /// Writes what is still gathered and closes the file; it stays on disk until ``remove()``.
    func finish() async throws {
        if self.pending.readableBytes > 0 {
            try await self.writeBlock(self.pending)
            self.pending = ByteBuffer()
        }
        guard let descriptor = self.descriptor else { return }
        self.descriptor = nil
        guard close(descriptor) == 0 || errno == EINTR else {
            throw SpoolFileError(operation: "close", path: self.path, code: errno)
        }
    }

    /// Closes the file if it is open and removes it; a file already gone (moved or removed by the
    /// responder) is not an error, nor is any other failure to remove it (there is nobody to tell).
    func remove() {
        if let descriptor = self.descriptor {
            self.descriptor = nil
            close(descriptor)
        }
        unlink(self.path)
    }

    private func writeBlock(_ block: ByteBuffer) async throws {
        guard let descriptor = self.descriptor else {
            throw SpoolFileError(operation: "write", path: self.path, code: EBADF)
        }
        let path = self.path
        try await self.threadPool.runIfActive {
            try Self.writeAll(block, to: descriptor, path: path)
        }
    }

    /// Opens a new file named ``BodySpooling/filePrefix`` and 16 random hex digits.
    private static func makeFile(in directory: String) throws -> (path: String, descriptor: Int32) {
        var madeDirectory = false
        var attempts = 0
        while true {
            let random = String(UInt64.random(in: .min ... .max), radix: 16)
            let name = BodySpooling.filePrefix + String(repeating: "0", count: 16 - random.count) + random
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if descriptor >= 0 {
                return (path, descriptor)
            }
            let code = errno
            attempts += 1
            switch code {
            case EINTR where attempts < 16, EEXIST where attempts < 16:
                continue
            case ENOENT where !madeDirectory:
                madeDirectory = true
                guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                    throw SpoolFileError(operation: "create directory", path: directory, code: errno)
                }
            default:
                throw SpoolFileError(operation: "create", path: path, code: code)
            }
        }
    }

    private static func writeAll(_ block: ByteBuffer, to descriptor: Int32, path: String) throws {
        try block.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    let code = errno
                    guard code == EINTR else {
                        throw SpoolFileError(operation: "write", path: path, code: code)
                    }
                    continue
                }
                offset += written
            }
        }
    }
}

/// A spooled body file could not be created or written.
struct SpoolFileError: Error, CustomStringConvertible {
    /// What was being done: `create`, `write`, …
    var operation: String
    var path: String
    /// The `errno` value.
    var code: Int32

    /// The system's text for ``code`` (`No space left on device`).
    var reason: String {
        String(cString: strerror(self.code))
    }

    var description: String {
        "\(self.operation) \(self.path): \(self.reason)"
    }
}
