/// A write buffer over a file descriptor, so that small headers and files do not cost a system
/// call each. Bytes reach the descriptor on `flush()` or when the buffer is full.
final class BufferedOutput {
    static let defaultCapacity = 64 * 1024

    private let fd: Int32
    private let ownsDescriptor: Bool
    private var isOpen = true
    private let storage: UnsafeMutableRawBufferPointer
    private var count = 0

    init(fd: Int32, ownsDescriptor: Bool, capacity: Int = BufferedOutput.defaultCapacity) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.storage = .allocate(byteCount: max(capacity, 512), alignment: 16)
    }

    /// Closes an owned descriptor without flushing: an unfinished archive is incomplete anyway.
    deinit {
        close()
        storage.deallocate()
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        if ownsDescriptor { SystemIO.close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError(.io, "write to a closed archive") }
        if bytes.count > storage.count - count {
            try flush()
            if bytes.count >= storage.count {
                try SystemIO.write(fd, bytes)
                return
            }
        }
        UnsafeMutableRawBufferPointer(rebasing: storage[count...]).copyMemory(from: bytes)
        count += bytes.count
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func writeZeros(_ total: Int) throws {
        var remaining = total
        while remaining > 0 {
            if count == storage.count { try flush() }
            let step = min(remaining, storage.count - count)
            UnsafeMutableRawBufferPointer(rebasing: storage[count..<(count + step)]).initializeMemory(as: UInt8.self, repeating: 0)
            count += step
            remaining -= step
        }
    }

    /// Copies up to `total` bytes read from `source` straight into the buffer; returns how many were
    /// copied: fewer only when `source` ends first.
    func copy(from source: Int32, count total: Int64) throws -> Int64 {
        guard isOpen else { throw ArchiveError(.io, "write to a closed archive") }
        var remaining = total
        while remaining > 0 {
            if count == storage.count { try flush() }
            let space = Int(min(Int64(storage.count - count), remaining))
            let read = try SystemIO.read(source, into: UnsafeMutableRawBufferPointer(rebasing: storage[count..<(count + space)]))
            guard read > 0 else { break }
            count += read
            remaining -= Int64(read)
        }
        return total - remaining
    }

    func flush() throws {
        guard count > 0 else { return }
        guard isOpen else { throw ArchiveError(.io, "write to a closed archive") }
        try SystemIO.write(fd, UnsafeRawBufferPointer(rebasing: storage[0..<count]))
        count = 0
    }
}
