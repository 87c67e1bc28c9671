import Testing

@testable import Networks

@Suite struct DNSMessageTests {
    /// `web.MyNet` A IN, ID 0xBEEF, RD set, written out by hand.
    static let handWrittenQuery: [UInt8] = [
        0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        3, 0x77, 0x65, 0x62, 5, 0x4D, 0x79, 0x4E, 0x65, 0x74, 0,
        0x00, 0x01, 0x00, 0x01,
    ]

    @Test func readsAHandWrittenQuery() throws {
        let query = try DNSMessage(bytes: Self.handWrittenQuery)
        #expect(query.id == 0xBEEF)
        #expect(!query.isResponse)
        #expect(query.opcode == 0)
        #expect(query.recursionDesired)
        #expect(query.questions == [DNSQuestion(name: try DNSName("web.MyNet"), type: .a)])
        #expect(query.questions[0].name.description == "web.MyNet")
        #expect(query.questions[0].name.lookupKey == "web.mynet")
        #expect(query.answers.isEmpty && query.additionals.isEmpty)
        #expect(query.ednsPayloadSize == nil)
    }

    @Test func writesTheSameQueryBack() throws {
        #expect(try DNSMessage(bytes: Self.handWrittenQuery).encoded() == Self.handWrittenQuery)
    }

    @Test func readsTheEDNSPayloadSizeFromAnOPTRecord() throws {
        // ARCOUNT 1; OPT: root name, type 41, payload 4096, extended RCODE and flags 0 (DO set), no options.
        var bytes = Self.handWrittenQuery
        bytes[11] = 1
        bytes += [0, 0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]
        let query = try DNSMessage(bytes: bytes)
        #expect(query.ednsPayloadSize == 4096)
        #expect(query.additionals == [DNSRecord(name: .root, type: .opt, recordClass: 4096, ttl: 0x8000)])
    }

    @Test func answersPointToTheQuestionAndReadBack() throws {
        let name = try DNSName("web.mynet")
        var reply = DNSMessage(id: 7, isResponse: true, recursionDesired: true, recursionAvailable: true)
        reply.questions = [DNSQuestion(name: name, type: .a)]
        reply.answers = [
            try #require(DNSRecord(name: name, address: "172.18.0.2", ttl: 600)),
            try #require(DNSRecord(name: name, address: "172.18.0.3", ttl: 600)),
        ]
        let bytes = reply.encoded()
        let questionEnd = 12 + name.wireLength + 4
        #expect(Array(bytes[questionEnd..<questionEnd + 12]) == [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0x02, 0x58, 0, 4])
        #expect(Array(bytes[questionEnd + 12..<questionEnd + 16]) == [172, 18, 0, 2])
        #expect(bytes.count == questionEnd + 2 * 16)
        #expect(reply.encodedLength(of: reply.answers[0]) == 16)
        #expect(try DNSMessage(bytes: bytes) == reply)
    }

    @Test func aPointerRecordReadsBack() throws {
        let name = try DNSName("2.0.18.172.in-addr.arpa")
        var reply = DNSMessage(id: 9, isResponse: true)
        reply.questions = [DNSQuestion(name: name, type: .ptr)]
        reply.answers = [DNSRecord(name: name, pointingTo: try DNSName("web.mynet"), ttl: 600)]
        let read = try DNSMessage(bytes: reply.encoded())
        #expect(read == reply)
        #expect(read.answers[0].data == [3] + Array("web".utf8) + [5] + Array("mynet".utf8) + [0])
    }

    @Test func aCompressedPointerTargetIsReadUncompressed() throws {
        // Question `web.mynet` PTR; the answer's name points to it, its target `db` + pointer to `mynet` (offset 16).
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [3] + Array("web".utf8) + [5] + Array("mynet".utf8) + [0, 0, 12, 0, 1]
        bytes += [0xC0, 0x0C, 0, 12, 0, 1, 0, 0, 0, 60, 0, 5, 2] + Array("db".utf8) + [0xC0, 16]
        let reply = try DNSMessage(bytes: bytes)
        #expect(reply.answers[0].name == (try DNSName("web.mynet")))
        #expect(reply.answers[0].data == [2] + Array("db".utf8) + [5] + Array("mynet".utf8) + [0])
    }

    @Test func namesFromText() throws {
        #expect(try DNSName("web.mynet.") == (try DNSName("web.mynet")))
        #expect(try DNSName(".") == .root)
        #expect(DNSName.root.description == ".")
        #expect(throws: DNSMessageError.self) { try DNSName("web..mynet") }
        #expect(throws: DNSMessageError.self) { try DNSName(String(repeating: "a", count: 64)) }
        #expect(throws: DNSMessageError.self) { try DNSName(Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")) }
    }

    @Test(arguments: [
        ("empty", []),
        ("a short header", [0, 1, 0, 0, 0, 1]),
        ("a question without its type", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
        ("a pointer to itself", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]),
        ("a pointer forward", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 0, 1, 0, 1]),
        ("an extended label type", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1]),
        ("a label past the end", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0x61, 0]),
        ("more questions than written", [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]),
        ("record data past the end", [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1]),
    ] as [(String, [UInt8])])
    func malformedMessagesThrow(_ case: String, bytes: [UInt8]) {
        #expect(throws: DNSMessageError.self, "\(`case`)") { try DNSMessage(bytes: bytes) }
    }

    @Test func aPointerLoopThrows() {
        // At 12 a label holding the bytes C0 0C, then at 15 a pointer to 13: each pointer points before itself,
        // yet 15 → 13 → 12 → 15 never ends.
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0xC0, 12, 0xC0, 13, 0, 1, 0, 1]
        #expect(throws: DNSMessageError.self) { try DNSMessage(bytes: bytes) }
    }

    @Test func everyTruncationOfAValidMessageThrows() throws {
        let name = try DNSName("web.mynet")
        var reply = DNSMessage(id: 3, isResponse: true, questions: [DNSQuestion(name: name, type: .ptr)])
        reply.answers = [DNSRecord(name: name, pointingTo: name, ttl: 600)]
        let bytes = reply.encoded()
        for length in 0..<bytes.count {
            #expect(throws: DNSMessageError.self) { try DNSMessage(bytes: Array(bytes[..<length])) }
        }
    }

    @Test func randomBytesNeverCrashTheReader() {
        var random = SeededRandom(seed: 53)
        let valid = Self.handWrittenQuery
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round.isMultiple(of: 2) {
                bytes = (0..<Int.random(in: 0..<80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            if let message = try? DNSMessage(bytes: bytes) {
                _ = message.encoded()
                _ = message.questions.map(\.name.lookupKey)
            }
        }
    }
}
