/// What the resolver asks its owner about a question from a container.
struct DNSLookup: Hashable, Sendable {
    /// The name asked, in ASCII lower case, without the trailing dot: `web`, `web.mynet`, `5.0.18.172.in-addr.arpa`.
    var name: String
    var type: DNSRecordType
    /// The address the query arrived on: the gateway of the asking container's network.
    var listenAddress: String
    /// The address of the container that asked.
    var sourceAddress: String
}

/// How the resolver answers a `DNSLookup`.
enum DNSLookupAnswer: Hashable, Sendable {
    /// The name is ours, with these addresses. The reply carries those of the family asked (IPv4 for A, IPv6
    /// for AAAA, in the order given); when none is of that family, or the question asks another type, it is
    /// a NOERROR reply without answers.
    case addresses([String])
    /// The reverse name is ours and points to this name (answered to PTR questions; other types get no answers).
    case pointer(String)
    /// The name is not ours: relay the query unchanged to these nameservers, tried in order. Each is "ip"
    /// (port 53), "ip:port" or "[ipv6]:port".
    case forward([String])
    /// The name is ours and does not exist: NXDOMAIN.
    case notFound
    /// The name is not ours and is not to be forwarded (the querier has no way out): SERVFAIL.
    case serverFailure
    /// The querier may not ask this resolver: REFUSED.
    case refused
}
