#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension DNSRecord {
    /// An A record for an IPv4 address or an AAAA record for an IPv6 one; nil when `address` is neither.
    init?(name: DNSName, address: String, ttl: UInt32) {
        if let bytes = Self.addressBytes(address, family: AF_INET, count: 4) {
            self.init(name: name, type: .a, ttl: ttl, data: bytes)
        } else if let bytes = Self.addressBytes(address, family: AF_INET6, count: 16) {
            self.init(name: name, type: .aaaa, ttl: ttl, data: bytes)
        } else {
            return nil
        }
    }

    /// A PTR record: `name` (a reverse name) points to `target`.
    init(name: DNSName, pointingTo target: DNSName, ttl: UInt32) {
        var writer = DNSWireWriter()
        writer.write(target)
        self.init(name: name, type: .ptr, ttl: ttl, data: writer.bytes)
    }

    private static func addressBytes(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let parsed = bytes.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return parsed == 1 ? bytes : nil
    }
}
