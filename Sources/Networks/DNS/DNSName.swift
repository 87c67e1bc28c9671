/// A domain name as DNS messages carry it: a list of labels, each up to 63 bytes, the whole name up to
/// 255 bytes on the wire. Labels keep the case they arrived in, so a reply echoes a question as it was
/// asked; `lookupKey` is the form lookups compare.
struct DNSName: Hashable, Sendable, CustomStringConvertible {
    static let root = DNSName(checkedLabels: [])
    static let maxLabelLength = 63
    static let maxWireLength = 255

    let labels: [[UInt8]]

    init(labels: [[UInt8]]) throws(DNSMessageError) {
        guard labels.allSatisfy({ !$0.isEmpty && $0.count <= Self.maxLabelLength }) else {
            throw DNSMessageError("a label is empty or longer than \(Self.maxLabelLength) bytes")
        }
        self.init(checkedLabels: labels)
        guard wireLength <= Self.maxWireLength else {
            throw DNSMessageError("a name is longer than \(Self.maxWireLength) bytes")
        }
    }

    /// Parses dotted text such as `web.example`; a trailing dot is allowed, `.` alone is the root.
    init(_ text: String) throws(DNSMessageError) {
        var dotted = Substring(text)
        if dotted.hasSuffix(".") { dotted = dotted.dropLast() }
        if dotted.isEmpty {
            self = .root
        } else {
            try self.init(labels: dotted.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) })
        }
    }

    private init(checkedLabels: [[UInt8]]) {
        labels = checkedLabels
    }

    /// The length of the name written without compression: each label with its length byte, then the root's zero.
    var wireLength: Int {
        labels.reduce(1) { $0 + 1 + $1.count }
    }

    /// The labels joined by dots, without the trailing dot; `.` for the root.
    var description: String {
        labels.isEmpty ? "." : labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }

    /// `description` in ASCII lower case (DNS compares names without regard to ASCII case); empty for the root.
    var lookupKey: String {
        labels.isEmpty ? "" : DNSName(checkedLabels: labels.map { $0.map(Self.asciiLowercased) }).description
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
