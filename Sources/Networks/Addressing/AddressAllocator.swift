import Messages

/// Chooses containers' addresses on a network: from its `ip-range` (else its subnet), never the
/// network, broadcast, gateway or auxiliary addresses, nor one in use; the search starts after the
/// last address handed out, so a released address is not reused at once (ARP caches forget slowly).
struct AddressAllocator {
    let subnet: IPv4Subnet
    let range: IPv4Subnet
    let reserved: Set<IPv4Address>

    init(network: StoredNetwork) throws {
        guard let subnet = network.subnetValue, let gateway = network.gatewayValue else {
            throw EngineError.invalidArgument("network \(network.name) has no IPv4 subnet")
        }
        self.subnet = subnet
        range = network.ipRange.flatMap { IPv4Subnet($0) } ?? subnet
        reserved = Set([subnet.network, subnet.broadcast, gateway] + network.auxiliaryAddresses.values.compactMap { IPv4Address($0) })
    }

    /// A static address asked for with `--ip`: it must be in the subnet and free.
    func claim(_ text: String, inUse: Set<IPv4Address>) throws -> IPv4Address {
        guard let address = IPv4Address(text) else { throw EngineError.invalidArgument("invalid IPv4 address: \(text)") }
        guard subnet.contains(address) else {
            throw EngineError.invalidArgument("no configured subnet or ip-range contain the IP address \(text)")
        }
        guard !inUse.contains(address), !reserved.contains(address) else {
            throw EngineError.conflict("Address already in use: \(text)")
        }
        return address
    }

    /// The next free address after `last`, wrapping around the range.
    func next(after last: IPv4Address?, inUse: Set<IPv4Address>) throws -> IPv4Address {
        let first = UInt64(range.network.value)
        let count = UInt64(range.broadcast.value) - first + 1
        let start = last.map { range.contains($0) ? UInt64($0.value) - first + 1 : 0 } ?? 0
        for step in 0..<count {
            let candidate = IPv4Address(UInt32(first + (start + step) % count))
            if !reserved.contains(candidate) && !inUse.contains(candidate) { return candidate }
        }
        throw EngineError.unavailable("no available IPv4 addresses on network \(subnet)")
    }
}
