/// Why a configuration was refused. The message names the offending key.
enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unknownKeys([String])
    case wrongType(key: String, expected: String)
    case conflicts([String])
    case invalid(key: String, reason: String)

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
        }
    }
}
