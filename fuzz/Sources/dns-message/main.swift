@testable import Networks

/// The input as a datagram sent to a network's embedded resolver: parsed, and when it parses, encoded
/// again and cut to fit a reply's size as the resolver does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSMessage(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let message = try? DNSMessage(bytes: bytes) else { return 0 }
    _ = message.ednsPayloadSize
    let encoded = message.encoded()
    for record in message.answers + message.authorities + message.additionals {
        _ = message.encodedLength(of: record)
    }
    _ = try? DNSMessage(bytes: encoded)
    return 0
}
