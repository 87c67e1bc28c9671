import Messages

/// A network as berthd keeps it in `network.db`.
struct StoredNetwork: Codable, Sendable, Equatable {
    var id: String
    var name: String
    /// `bridge`, `host` or `null`.
    var driver: String
    var createdNano: Int64
    /// The bridge device of a bridge network ("" for `host` and `none`).
    var device = ""
    var subnet: String?
    var gateway: String?
    var ipRange: String?
    var auxiliaryAddresses: [String: String] = [:]
    /// Whether the user chose the subnet (a static `--ip` needs one).
    var userSubnet = false
    var `internal` = false
    var attachable = false
    var options: [String: String] = [:]
    var labels: [String: String] = [:]
    var ipamOptions: [String: String] = [:]

    static let predefinedNames: Set<String> = ["bridge", "host", "none"]

    var isPredefined: Bool { Self.predefinedNames.contains(name) }
    /// User networks resolve their containers' names; the default bridge, like Docker's, does not.
    var hasEmbeddedDNS: Bool { driver == "bridge" && !isPredefined }
    var subnetValue: IPv4Subnet? { subnet.flatMap { IPv4Subnet($0) } }
    var gatewayValue: IPv4Address? { gateway.flatMap { IPv4Address($0) } }
    /// Whether containers on the network may talk to each other: `com.docker.network.bridge.enable_icc`
    /// (checked when the network is created), true unless it says false.
    var interContainer: Bool { options[Self.iccOption].flatMap(GoSyntax.bool) ?? true }

    static let iccOption = "com.docker.network.bridge.enable_icc"
}
