import Messages

/// Picks subnets for new networks from the address pools (`default-address-pools`), as Docker does:
/// the first subnet of the pools' size that overlaps neither another network nor a route of the host.
struct SubnetPlanner {
    var pools: [AddressPool]

    /// Docker's default pools: 172.17–31.0.0/16, then 192.168.0.0/16 in /20 pieces.
    static let dockerDefaults: [AddressPool] =
        (17...31).map { AddressPool(base: "172.\($0).0.0/16", size: 16) } + [AddressPool(base: "192.168.0.0/16", size: 20)]

    /// The first free subnet, or nil when every pool is exhausted.
    func nextSubnet(avoiding taken: [IPv4Subnet]) -> IPv4Subnet? {
        for pool in pools {
            guard let base = IPv4Subnet(pool.base), pool.size >= base.prefixLength, pool.size <= 30 else { continue }
            let step = UInt64(1) << UInt64(32 - pool.size)
            var start = UInt64(base.network.value)
            let end = UInt64(base.broadcast.value)
            while start <= end {
                let candidate = IPv4Subnet(network: IPv4Address(UInt32(start)), prefixLength: pool.size)
                if !taken.contains(where: { $0.overlaps(candidate) }) { return candidate }
                start += step
            }
        }
        return nil
    }
}
