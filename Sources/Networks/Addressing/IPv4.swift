/// An IPv4 address as a number, so that subnets can be compared and walked.
struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    var value: UInt32

    init(_ value: UInt32) { self.value = value }

    /// Dotted quad (`172.18.0.2`); nil for anything else.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    var description: String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }

    static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 subnet in CIDR form (`172.18.0.0/16`).
struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    var network: IPv4Address
    var prefixLength: Int

    init(network: IPv4Address, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.network = IPv4Address(network.value & Self.mask(prefixLength))
    }

    /// `a.b.c.d/n`; with `strict`, host bits must be zero (Docker rejects `10.1.2.3/16` as a subnet).
    init?(_ text: some StringProtocol, strict: Bool = false) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]), (0...32).contains(length) else { return nil }
        if strict && address.value & ~Self.mask(length) != 0 { return nil }
        self.init(network: address, prefixLength: length)
    }

    var mask: UInt32 { Self.mask(prefixLength) }
    var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }
    /// The first address after the network address: the usual gateway.
    var firstHost: IPv4Address { IPv4Address(network.value + (prefixLength < 31 ? 1 : 0)) }
    var description: String { "\(network)/\(prefixLength)" }

    func contains(_ address: IPv4Address) -> Bool { address.value & mask == network.value }
    func contains(_ other: IPv4Subnet) -> Bool { other.prefixLength >= prefixLength && contains(other.network) }
    func overlaps(_ other: IPv4Subnet) -> Bool { contains(other.network) || other.contains(network) }

    private static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << UInt32(32 - length) }
}
