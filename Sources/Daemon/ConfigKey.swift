import Messages

/// One key of `daemon.json` (and its flag of the same name): its type, whether a reload may change it,
/// and the field of `DaemonConfig` it sets.
struct ConfigKey: Sendable {
    enum Kind: String, Sendable {
        case string, bool, int, strings, stringMap, pools
    }

    let name: String
    let kind: Kind
    /// Whether SIGHUP may change it while berthd runs.
    let reloadable: Bool
    let apply: @Sendable (inout DaemonConfig, ConfigValue) -> Void
    let read: @Sendable (DaemonConfig) -> ConfigValue

    init<Value: ConfigRepresentable>(_ name: String, _ field: WritableKeyPath<DaemonConfig, Value> & Sendable, reloadable: Bool) {
        self.name = name
        self.kind = Value.kind
        self.reloadable = reloadable
        self.apply = { config, value in
            if let typed = Value(configValue: value) { config[keyPath: field] = typed }
        }
        self.read = { $0[keyPath: field].configValue }
    }

    /// Every key berthd knows, with dockerd's names where they mean the same thing.
    static let all: [ConfigKey] = [
        ConfigKey("data-root", \.dataRoot, reloadable: false),
        ConfigKey("exec-root", \.execRoot, reloadable: false),
        ConfigKey("hosts", \.hosts, reloadable: false),
        ConfigKey("pidfile", \.pidfile, reloadable: false),
        ConfigKey("debug", \.debug, reloadable: true),
        ConfigKey("log-level", \.logLevel, reloadable: true),
        ConfigKey("containerd", \.containerd, reloadable: false),
        ConfigKey("shutdown-timeout", \.shutdownTimeout, reloadable: true),
        ConfigKey("child-restart-wait", \.childRestartWait, reloadable: false),
        ConfigKey("live-restore", \.liveRestore, reloadable: true),
        ConfigKey("labels", \.labels, reloadable: true),
        ConfigKey("max-concurrent-downloads", \.maxConcurrentDownloads, reloadable: true),
        ConfigKey("max-concurrent-uploads", \.maxConcurrentUploads, reloadable: true),
        ConfigKey("storage-driver", \.storageDriver, reloadable: false),
        ConfigKey("insecure-registries", \.insecureRegistries, reloadable: true),
        ConfigKey("registry-mirrors", \.registryMirrors, reloadable: true),
        ConfigKey("bridge", \.bridge, reloadable: false),
        ConfigKey("bip", \.bip, reloadable: false),
        ConfigKey("icc", \.icc, reloadable: false),
        ConfigKey("ip-forward-no-drop", \.ipForwardNoDrop, reloadable: false),
        ConfigKey("default-address-pools", \.defaultAddressPools, reloadable: false),
        ConfigKey("log-driver", \.logDriver, reloadable: false),
        ConfigKey("log-opts", \.logOpts, reloadable: false),
        ConfigKey("seccomp-profile", \.seccompProfile, reloadable: false),
        ConfigKey("authorization-plugins", \.authorizationPlugins, reloadable: true),
        ConfigKey("plugin-socket-dirs", \.pluginSocketDirs, reloadable: false),
        ConfigKey("plugin-spec-dirs", \.pluginSpecDirs, reloadable: false),
        ConfigKey("fault-injection", \.faultInjection, reloadable: false),
        ConfigKey("tls", \.tls, reloadable: false),
        ConfigKey("tlsverify", \.tlsVerify, reloadable: false),
        ConfigKey("tlscacert", \.tlsCACert, reloadable: false),
        ConfigKey("tlscert", \.tlsCert, reloadable: false),
        ConfigKey("tlskey", \.tlsKey, reloadable: false),
        ConfigKey("group", \.group, reloadable: false),
        ConfigKey("api-read-header-timeout", \.apiReadHeaderTimeout, reloadable: false),
        ConfigKey("api-idle-timeout", \.apiIdleTimeout, reloadable: false),
        ConfigKey("api-max-connections", \.apiMaxConnections, reloadable: false),
    ]

    static let byName: [String: ConfigKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The keys whose values differ between two configurations.
    static func changed(from old: DaemonConfig, to new: DaemonConfig) -> [ConfigKey] {
        all.filter { $0.read(old) != $0.read(new) }
    }
}

/// The Swift types configuration values have.
protocol ConfigRepresentable: SendableMetatype {
    static var kind: ConfigKey.Kind { get }
    init?(configValue value: ConfigValue)
    var configValue: ConfigValue { get }
}

extension String: ConfigRepresentable {
    static var kind: ConfigKey.Kind { .string }
    init?(configValue value: ConfigValue) { guard case .string(let v) = value else { return nil }; self = v }
    var configValue: ConfigValue { .string(self) }
}

extension Bool: ConfigRepresentable {
    static var kind: ConfigKey.Kind { .bool }
    init?(configValue value: ConfigValue) { guard case .bool(let v) = value else { return nil }; self = v }
    var configValue: ConfigValue { .bool(self) }
}

extension Int: ConfigRepresentable {
    static var kind: ConfigKey.Kind { .int }
    init?(configValue value: ConfigValue) { guard case .int(let v) = value else { return nil }; self = v }
    var configValue: ConfigValue { .int(self) }
}

extension Array: ConfigRepresentable where Element: PoolOrString {
    static var kind: ConfigKey.Kind { Element.listKind }
    init?(configValue value: ConfigValue) { guard let list = Element.list(from: value) else { return nil }; self = list }
    var configValue: ConfigValue { Element.value(of: self) }
}

/// The element types of list-valued keys.
protocol PoolOrString {
    static var listKind: ConfigKey.Kind { get }
    static func list(from value: ConfigValue) -> [Self]?
    static func value(of list: [Self]) -> ConfigValue
}

extension String: PoolOrString {
    static var listKind: ConfigKey.Kind { .strings }
    static func list(from value: ConfigValue) -> [String]? { if case .strings(let v) = value { v } else { nil } }
    static func value(of list: [String]) -> ConfigValue { .strings(list) }
}

extension AddressPool: PoolOrString {
    static var listKind: ConfigKey.Kind { .pools }
    static func list(from value: ConfigValue) -> [AddressPool]? { if case .pools(let v) = value { v } else { nil } }
    static func value(of list: [AddressPool]) -> ConfigValue { .pools(list) }
}

/// A key that may be left unset, which is not the same as any value (`tls`, `tlsverify`, `group`).
extension Optional: ConfigRepresentable where Wrapped: ConfigRepresentable {
    static var kind: ConfigKey.Kind { Wrapped.kind }
    init?(configValue value: ConfigValue) {
        if case .unset = value {
            self = .none
        } else if let wrapped = Wrapped(configValue: value) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
    var configValue: ConfigValue { self.map(\.configValue) ?? .unset }
}

extension Dictionary: ConfigRepresentable where Key == String, Value == String {
    static var kind: ConfigKey.Kind { .stringMap }
    init?(configValue value: ConfigValue) { guard case .stringMap(let v) = value else { return nil }; self = v }
    var configValue: ConfigValue { .stringMap(self) }
}

/// A value given for a key, from the file or from a flag, already checked against the key's kind.
enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int)
    case strings([String])
    case stringMap([String: String])
    case pools([AddressPool])
    /// No value: an optional key left unset.
    case unset

    var description: String {
        switch self {
        case .unset: "(unset)"
        case .string(let value): value
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .strings(let value): "[\(value.joined(separator: " "))]"
        case .stringMap(let value): "\(value)"
        case .pools(let value): value.map { "\($0.base)/\($0.size)" }.joined(separator: " ")
        }
    }

    /// Converts a value decoded by `JSONSerialization` to this key's kind, or explains why it can't.
    init(json: Any, for key: ConfigKey) throws(ConfigError) {
        switch key.kind {
        case .string:
            guard let value = json as? String else { throw .wrongType(key: key.name, expected: "a string") }
            self = .string(value)
        case .bool:
            guard let number = json as? NSNumberLike, number.isBool else { throw .wrongType(key: key.name, expected: "true or false") }
            self = .bool(number.boolValue)
        case .int:
            guard let number = json as? NSNumberLike, !number.isBool, let value = number.exactInt else {
                throw .wrongType(key: key.name, expected: "an integer")
            }
            self = .int(value)
        case .strings:
            guard let value = json as? [String] else { throw .wrongType(key: key.name, expected: "a list of strings") }
            self = .strings(value)
        case .stringMap:
            guard let value = json as? [String: String] else { throw .wrongType(key: key.name, expected: "an object of strings") }
            self = .stringMap(value)
        case .pools:
            guard let list = json as? [[String: Any]] else { throw .wrongType(key: key.name, expected: "a list of {\"base\", \"size\"}") }
            var pools: [AddressPool] = []
            for entry in list {
                guard let base = entry["base"] as? String, let size = (entry["size"] as? NSNumberLike)?.exactInt else {
                    throw .wrongType(key: key.name, expected: "a list of {\"base\": CIDR, \"size\": prefix length}")
                }
                pools.append(AddressPool(base: base, size: size))
            }
            self = .pools(pools)
        }
    }
}
