/// Reads a DNS message's big-endian fields and names, following name compression pointers
/// (RFC 1035 §4.1.4). Every read checks its bounds and throws `DNSMessageError` past the end.
struct DNSWireReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func readUInt8() throws(DNSMessageError) -> UInt8 {
        try readBytes(1)[0]
    }

    mutating func readUInt16() throws(DNSMessageError) -> UInt16 {
        try readBytes(2).reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func readUInt32() throws(DNSMessageError) -> UInt32 {
        try readBytes(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readBytes(_ count: Int) throws(DNSMessageError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw DNSMessageError("the message ends inside a field") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a name. A compression pointer must point before the labels read so far, so every chain of
    /// pointers ends.
    mutating func readName() throws(DNSMessageError) -> DNSName {
        var labels: [[UInt8]] = []
        var position = offset
        var earliestRead = offset
        var endAfterFirstPointer: Int?
        while true {
            guard position < bytes.count else { throw DNSMessageError("the message ends inside a name") }
            let lengthByte = Int(bytes[position])
            switch lengthByte & 0xC0 {
            case 0x00 where lengthByte == 0:
                offset = endAfterFirstPointer ?? position + 1
                return try DNSName(labels: labels)
            case 0x00:
                let labelEnd = position + 1 + lengthByte
                guard labelEnd <= bytes.count else { throw DNSMessageError("the message ends inside a label") }
                labels.append(Array(bytes[position + 1..<labelEnd]))
                position = labelEnd
            case 0xC0:
                guard position + 1 < bytes.count else { throw DNSMessageError("the message ends inside a pointer") }
                let target = (lengthByte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < earliestRead else { throw DNSMessageError("a compression pointer does not point back") }
                endAfterFirstPointer = endAfterFirstPointer ?? position + 2
                position = target
                earliestRead = target
            default:
                throw DNSMessageError("a label has an unknown type")
            }
        }
    }
}
