/// Why a configuration was refused. The message names the offending key.
enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unknownKeys([String])
    case wrongType(key: String, expected: String)
    case conflicts([String])
    case invalid(key: String, reason: String)
    /// A tcp listener other hosts can reach, with no client certificates and no explicit `tls` choice.
    case unauthenticatedListener(String)

    var description: String {
        switch self {
        case let .unreadable(path, reason):
            "unable to read the configuration file \(path): \(reason)"
        case let .malformed(path, reason):
            "the configuration file \(path) is not valid JSON: \(reason)"
        case let .unknownKeys(keys):
            "the following directives don't match any configuration option: \(keys.joined(separator: ", "))"
        case let .wrongType(key, expected):
            "invalid value for \(key): expected \(expected)"
        case let .conflicts(details):
            "the following directives are specified both as a flag and in the configuration file: \(details.joined(separator: ", "))"
        case let .invalid(key, reason):
            "invalid \(key): \(reason)"
        case let .unauthenticatedListener(host):
            "refusing to listen on \(host) without TLS client verification: anyone who can reach it gets root access to this host. "
                + "Use --tlsverify with --tlscacert, --tlscert and --tlskey, or listen on a loopback address or a unix socket; "
                + "to listen unauthenticated anyway, give --tls=false (\"tls\": false in daemon.json)"
        }
    }
}
