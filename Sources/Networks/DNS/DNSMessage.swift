/// A DNS message (RFC 1035 §4.1): the header's fields and the four sections. `DNSMessage+Wire.swift`
/// reads and writes it.
struct DNSMessage: Equatable, Sendable {
    var id: UInt16
    var isResponse = false
    /// 0 is a standard query; the resolver answers no other.
    var opcode: UInt8 = 0
    var isAuthoritative = false
    var isTruncated = false
    var recursionDesired = false
    var recursionAvailable = false
    var responseCode = DNSResponseCode.noError
    var questions: [DNSQuestion] = []
    var answers: [DNSRecord] = []
    var authorities: [DNSRecord] = []
    var additionals: [DNSRecord] = []

    /// The UDP payload size the sender's EDNS OPT record advertises, or nil when it sent none.
    var ednsPayloadSize: Int? {
        additionals.first { $0.type == .opt }.map { Int($0.recordClass) }
    }
}

struct DNSQuestion: Equatable, Sendable {
    static let internetClass: UInt16 = 1

    var name: DNSName
    var type: DNSRecordType
    var recordClass = DNSQuestion.internetClass
}

/// A resource record. `data` is the record's RDATA as written on the wire, except that a PTR's target
/// is kept uncompressed so that it reads the same outside its message.
struct DNSRecord: Equatable, Sendable {
    var name: DNSName
    var type: DNSRecordType
    /// The class, or for an OPT record the sender's UDP payload size.
    var recordClass = DNSQuestion.internetClass
    var ttl: UInt32 = 0
    var data: [UInt8] = []
}

/// The header's RCODE.
struct DNSResponseCode: RawRepresentable, Hashable, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x0F
    }

    static let noError = DNSResponseCode(rawValue: 0)
    static let formatError = DNSResponseCode(rawValue: 1)
    static let serverFailure = DNSResponseCode(rawValue: 2)
    /// NXDOMAIN: the name does not exist.
    static let nameError = DNSResponseCode(rawValue: 3)
    static let notImplemented = DNSResponseCode(rawValue: 4)
    static let refused = DNSResponseCode(rawValue: 5)
}
