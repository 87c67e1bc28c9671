/// A read buffer over a file descriptor: serves 512-byte headers without a system call each, and
/// hands out data in chunks of at most the buffer's capacity, so memory use does not grow with the
/// archive. Skips data with `lseek` when the descriptor is a regular file.
final class BufferedInput {
    static let defaultCapacity = 64 * 1024

    private let fd: Int32
    private let ownsDescriptor: Bool
    private var isOpen = true
    private let isRegularFile: Bool
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0

    init(fd: Int32, ownsDescriptor: Bool, capacity: Int = BufferedInput.defaultCapacity) throws {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.isRegularFile = try SystemIO.regularFileSize(fd) != nil
        self.storage = .allocate(byteCount: max(capacity, 512), alignment: 16)
    }

    deinit {
        close()
        storage.deallocate()
    }

    /// Closes the descriptor if this buffer owns it.
    func close() {
        guard isOpen else { return }
        isOpen = false
        if ownsDescriptor { SystemIO.close(fd) }
    }

    /// Reads `count` bytes (at most the capacity); fewer only at end of file.
    func read(count: Int) throws -> [UInt8] {
        let available = try fill(atLeast: min(count, storage.count))
        let taken = min(available, count)
        let bytes = Array(UnsafeRawBufferPointer(rebasing: storage[start..<(start + taken)]))
        start += taken
        return bytes
    }

    /// Passes the next at most `maxCount` bytes to `body`, valid only during the call, and consumes
    /// them. Returns how many were passed: 0 at end of file.
    func withNextChunk(maxCount: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard maxCount > 0 else { return 0 }
        let available = try fill(atLeast: 1)
        let taken = min(available, maxCount)
        guard taken > 0 else { return 0 }
        let chunk = UnsafeRawBufferPointer(rebasing: storage[start..<(start + taken)])
        start += taken
        try body(chunk)
        return taken
    }

    /// Discards `count` bytes; returns how many were discarded: fewer only at end of file.
    func skip(_ count: Int64) throws -> Int64 {
        var remaining = count
        let fromBuffer = Int(min(Int64(end - start), remaining))
        start += fromBuffer
        remaining -= Int64(fromBuffer)
        if remaining > 0, isRegularFile, let size = try SystemIO.regularFileSize(fd) {
            let position = try SystemIO.seek(fd, by: 0)
            let step = min(remaining, max(0, size - position))
            try SystemIO.seek(fd, by: step)
            remaining -= step
            return count - remaining
        }
        while remaining > 0 {
            let taken = try withNextChunk(maxCount: Int(min(remaining, Int64(storage.count)))) { _ in }
            guard taken > 0 else { break }
            remaining -= Int64(taken)
        }
        return count - remaining
    }

    /// Makes at least `count` bytes available unless the file ends first; returns how many are.
    private func fill(atLeast count: Int) throws -> Int {
        if end - start >= count { return end - start }
        guard isOpen else { throw ArchiveError(.io, "read from a closed archive") }
        if start > 0 {
            if end > start, let base = storage.baseAddress {
                base.copyMemory(from: base + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        while end < count {
            let read = try SystemIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            guard read > 0 else { break }
            end += read
        }
        return end - start
    }
}
