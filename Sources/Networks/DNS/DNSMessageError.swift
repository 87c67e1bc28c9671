/// Why bytes are not a DNS message the resolver can read or write. The resolver drops such datagrams.
struct DNSMessageError: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
