/// Writes a DNS message's big-endian fields and names.
struct DNSWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func write(_ value: UInt16) {
        bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
    }

    mutating func write(_ value: UInt32) {
        write(UInt16(value >> 16))
        write(UInt16(value & 0xFFFF))
    }

    mutating func write(_ data: [UInt8]) {
        bytes += data
    }

    /// Writes `name` label by label, without compression.
    mutating func write(_ name: DNSName) {
        for label in name.labels {
            write(UInt8(label.count))
            write(label)
        }
        write(UInt8(0))
    }

    /// Writes a compression pointer to the name that starts at `offset` in the message.
    mutating func writePointer(to offset: Int) {
        write(0xC000 | UInt16(offset))
    }
}
