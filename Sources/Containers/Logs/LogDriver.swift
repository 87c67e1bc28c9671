import Messages

/// Where and how a container's output is logged: one of the drivers Berth has, with its parsed options.
///
/// Both file drivers write the same JSON-lines entries (Docker's json-file format); they differ in file
/// name and rotation defaults. Docker's `local` driver writes compressed protobuf instead: Berth's `local`
/// files are not readable by dockerd, nor dockerd's by Berth. `compress` is accepted and checked, but
/// rotated files are never compressed. json-file's `labels`, `env` and `tag` are accepted, but entries
/// carry no `attrs`. `mode=non-blocking` and `max-buffer-size` are accepted and ignored: entries are always
/// written as they come.
public enum LogDriver: Sendable, Hashable {
    /// `json-file`, Docker's default: `<id>-json.log`, never rotated unless `max-size` is set.
    case jsonFile(LogRotation)
    /// `local`: `<id>-local.log`, rotated at 20 MiB keeping 5 files unless told otherwise.
    case local(LogRotation)
    /// `none`: nothing is written and the logs cannot be read.
    case none

    /// The driver `config` names, its options checked as dockerd checks them when a container is created;
    /// errors carry dockerd's messages.
    public init(_ config: LogConfig) throws(EngineError) {
        let options = config.Config ?? [:]
        switch config.Type {
        case "none":
            self = .none
        case "json-file":
            try Self.checkCommonOptions(options)
            try Self.rejectUnknown(options, allowed: ["max-file", "max-size", "compress", "labels", "labels-regex", "env", "env-regex", "tag"]) {
                "unknown log opt '\($0)' for json-file log driver"
            }
            self = .jsonFile(try LogRotation(jsonFileOptions: options))
        case "local":
            try Self.checkCommonOptions(options)
            try Self.rejectUnknown(options, allowed: ["max-file", "max-size", "compress"]) { "unknown log opt '\($0)' for log driver local" }
            self = .local(try LogRotation(localOptions: options))
        default:
            try Self.checkCommonOptions(options)
            throw .invalidArgument("logger: no log driver named '\(config.Type)' is registered")
        }
    }

    /// The name the API uses for this driver.
    public var name: String {
        switch self {
        case .jsonFile: "json-file"
        case .local: "local"
        case .none: "none"
        }
    }

    /// The file drivers' rotation; nil for `none`.
    var rotation: LogRotation? {
        switch self {
        case .jsonFile(let rotation), .local(let rotation): rotation
        case .none: nil
        }
    }

    /// Options every driver takes: the logging mode and the dual-logging cache (`cache-*`).
    private static let commonOptions: Set<String> = [
        "mode", "max-buffer-size", "cache-disabled", "cache-max-size", "cache-max-file", "cache-compress",
    ]

    private static func checkCommonOptions(_ options: [String: String]) throws(EngineError) {
        let mode = options["mode"] ?? ""
        guard ["", "blocking", "non-blocking"].contains(mode) else {
            throw .invalidArgument("logger: logging mode not supported: \(mode)")
        }
        if let size = options["max-buffer-size"] {
            guard mode == "non-blocking" else {
                throw .invalidArgument("logger: max-buffer-size option is only supported with 'mode=non-blocking'")
            }
            guard HumanSize.bytes(size) != nil else {
                throw .invalidArgument("error parsing option max-buffer-size: invalid size: '\(size)'")
            }
        }
        if let disabled = options["cache-disabled"], GoSyntax.bool(disabled) == nil {
            throw .invalidArgument("invalid value for option cache-disabled: \(disabled)")
        }
    }

    private static func rejectUnknown(
        _ options: [String: String], allowed: Set<String>, message: (String) -> String
    ) throws(EngineError) {
        if let unknown = options.keys.sorted().first(where: { !allowed.contains($0) && !commonOptions.contains($0) }) {
            throw .invalidArgument(message(unknown))
        }
    }
}
