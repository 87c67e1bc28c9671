import Foundation

/// The IPv4 routes of the host (`/proc/net/route`) other than the default route: the subnets a new
/// network must not overlap.
enum HostRoutes {
    /// Routes by destination, skipping those through `excludedDevices` (berthd's own bridges).
    static func subnets(excludingDevices excludedDevices: Set<String>) -> [IPv4Subnet] {
        guard let data = FileManager.default.contents(atPath: "/proc/net/route") else { return [] }
        return parse(String(decoding: data, as: UTF8.self), excludingDevices: excludedDevices)
    }

    /// Lines are `Iface Destination Gateway Flags … Mask …`, addresses in little-endian hex.
    static func parse(_ table: String, excludingDevices excludedDevices: Set<String>) -> [IPv4Subnet] {
        table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, !excludedDevices.contains(String(fields[0])),
                let destination = UInt32(fields[1], radix: 16), let mask = UInt32(fields[7], radix: 16), mask != 0
            else { return nil }
            return IPv4Subnet(network: IPv4Address(destination.byteSwapped), prefixLength: mask.nonzeroBitCount)
        }
    }
}
