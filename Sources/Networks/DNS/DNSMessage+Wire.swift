extension DNSMessage {
    /// The offset of the first question's name, where answers point to instead of repeating it.
    static let firstQuestionOffset = 12

    /// Reads a message; throws `DNSMessageError` on anything malformed. Bytes after the last section are ignored.
    init(bytes: [UInt8]) throws(DNSMessageError) {
        var reader = DNSWireReader(bytes)
        id = try reader.readUInt16()
        let flags = try reader.readUInt16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8(flags >> 11 & 0x0F)
        isAuthoritative = flags & 0x0400 != 0
        isTruncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        responseCode = DNSResponseCode(rawValue: UInt8(flags & 0x000F))
        let questionCount = try reader.readUInt16()
        let answerCount = try reader.readUInt16()
        let authorityCount = try reader.readUInt16()
        let additionalCount = try reader.readUInt16()
        questions = []
        for _ in 0..<questionCount {
            questions.append(
                DNSQuestion(
                    name: try reader.readName(), type: DNSRecordType(code: try reader.readUInt16()),
                    recordClass: try reader.readUInt16()))
        }
        answers = try Self.readRecords(answerCount, from: &reader)
        authorities = try Self.readRecords(authorityCount, from: &reader)
        additionals = try Self.readRecords(additionalCount, from: &reader)
    }

    /// The message on the wire. Record names equal to the first question's name are written as a pointer to it.
    /// Each section must hold at most 65535 entries.
    func encoded() -> [UInt8] {
        var writer = DNSWireWriter()
        writer.write(id)
        writer.write(flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            writer.write(UInt16(count))
        }
        for question in questions {
            writer.write(question.name)
            writer.write(question.type.code)
            writer.write(question.recordClass)
        }
        for record in answers + authorities + additionals {
            if pointsToFirstQuestion(record.name) {
                writer.writePointer(to: Self.firstQuestionOffset)
            } else {
                writer.write(record.name)
            }
            writer.write(record.type.code)
            writer.write(record.recordClass)
            writer.write(record.ttl)
            writer.write(UInt16(record.data.count))
            writer.write(record.data)
        }
        return writer.bytes
    }

    /// The bytes `record` takes in `encoded()`.
    func encodedLength(of record: DNSRecord) -> Int {
        (pointsToFirstQuestion(record.name) ? 2 : record.name.wireLength) + 10 + record.data.count
    }

    private func pointsToFirstQuestion(_ name: DNSName) -> Bool {
        name == questions.first?.name && name != .root
    }

    private var flags: UInt16 {
        var flags = UInt16(opcode & 0x0F) << 11 | UInt16(responseCode.rawValue)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        return flags
    }

    private static func readRecords(_ count: UInt16, from reader: inout DNSWireReader) throws(DNSMessageError) -> [DNSRecord] {
        var records: [DNSRecord] = []
        for _ in 0..<count {
            let name = try reader.readName()
            let type = DNSRecordType(code: try reader.readUInt16())
            let recordClass = try reader.readUInt16()
            let ttl = try reader.readUInt32()
            let dataLength = Int(try reader.readUInt16())
            let data: [UInt8]
            if type == .ptr {
                let dataEnd = reader.offset + dataLength
                var target = DNSWireWriter()
                target.write(try reader.readName())
                guard reader.offset == dataEnd else { throw DNSMessageError("a PTR record's data is not one name") }
                data = target.bytes
            } else {
                data = try reader.readBytes(dataLength)
            }
            records.append(DNSRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data))
        }
        return records
    }
}
