#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the reader and writer use, retrying `EINTR` and turning
/// failures into `ArchiveError` with code `.io`.
enum SystemIO {
    static func open(_ path: String, flags: Int32, permissions: UInt32 = 0) throws -> Int32 {
        while true {
            #if canImport(Darwin)
            let fd = Darwin.open(path, flags | O_CLOEXEC, mode_t(permissions))
            #elseif canImport(Glibc)
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(permissions))
            #else
            let fd = Musl.open(path, flags | O_CLOEXEC, mode_t(permissions))
            #endif
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open \(TarPath.quoted(path))") }
        }
    }

    static func close(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #elseif canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Musl.close(fd)
        #endif
    }

    /// Reads at most `buffer.count` bytes; returns 0 only at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            #if canImport(Darwin)
            let count = Darwin.read(fd, base, buffer.count)
            #elseif canImport(Glibc)
            let count = Glibc.read(fd, base, buffer.count)
            #else
            let count = Musl.read(fd, base, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno != EINTR { throw failure("read") }
        }
    }

    /// Writes all of `buffer`.
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            #if canImport(Darwin)
            let count = Darwin.write(fd, base + offset, buffer.count - offset)
            #elseif canImport(Glibc)
            let count = Glibc.write(fd, base + offset, buffer.count - offset)
            #else
            let count = Musl.write(fd, base + offset, buffer.count - offset)
            #endif
            if count >= 0 {
                offset += count
            } else if errno != EINTR {
                throw failure("write")
            }
        }
    }

    /// The size of a regular file, or nil for pipes, sockets and devices.
    static func regularFileSize(_ fd: Int32) throws -> Int64? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Moves the file offset; returns the new offset.
    @discardableResult
    static func seek(_ fd: Int32, by offset: Int64, from whence: Int32 = SEEK_CUR) throws -> Int64 {
        let position = lseek(fd, off_t(offset), whence)
        guard position >= 0 else { throw failure("seek") }
        return Int64(position)
    }

    static func truncate(_ fd: Int32, to length: Int64) throws {
        while ftruncate(fd, off_t(length)) != 0 {
            if errno != EINTR { throw failure("truncate") }
        }
    }

    static func failure(_ operation: String) -> ArchiveError {
        let code = errno
        return ArchiveError(.io, "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}
