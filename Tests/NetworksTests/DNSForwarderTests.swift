import Testing

@testable import Networks

@Suite struct DNSForwarderTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1", 53),
        ("192.0.2.1:5353", "192.0.2.1", 5353),
        ("2001:db8::1", "2001:db8::1", 53),
        ("[2001:db8::1]", "2001:db8::1", 53),
        ("[2001:db8::1]:5353", "2001:db8::1", 5353),
    ])
    func readsUpstreams(_ text: String, ip: String, port: Int) throws {
        let address = try #require(DNSForwarder.upstreamAddress(text))
        #expect(address.ipAddress == ip && address.port == port)
    }

    @Test(arguments: ["dns.example", "192.0.2.1:0", "192.0.2.1:70000", "192.0.2.1:x", "[2001:db8::1]5353", ""])
    func rejectsOtherText(_ text: String) {
        #expect(DNSForwarder.upstreamAddress(text) == nil)
    }
}
