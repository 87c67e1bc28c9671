import EngineAPI
import Foundation
import Messages

/// Builds the `DaemonConfig` in force from `daemon.json` and the command-line flags.
///
/// Every key of the file must be known and of the right type; a key given both in the file and as a flag
/// is an error (as with dockerd); the merged result is then validated as a whole. Nothing is applied
/// unless everything is valid, which is what makes a SIGHUP reload a transaction.
struct ConfigLoader: Sendable {
    /// The default path of the configuration file.
    static let defaultPath = "/etc/berth/daemon.json"
    /// The longest API timeout accepted, in seconds.
    static let longestTimeout = 365 * 24 * 3600

    /// The configuration file; a missing file is an error only when it was named explicitly.
    let path: String
    let pathIsExplicit: Bool
    /// The values given as flags, by key name.
    let flags: [String: ConfigValue]

    /// Reads the file (if any), merges it with the flags, and validates the result.
    func load() throws(ConfigError) -> DaemonConfig {
        let file = try readFile()
        let both = Set(file.keys).intersection(flags.keys).sorted()
        if !both.isEmpty {
            throw .conflicts(both.map { "\($0): (from flag: \(flags[$0]?.description ?? ""), from file: \(file[$0]?.description ?? ""))" })
        }
        var config = DaemonConfig()
        for (name, value) in file.merging(flags, uniquingKeysWith: { _, flag in flag }) {
            ConfigKey.byName[name]?.apply(&config, value)
        }
        try Self.validate(config)
        return config
    }

    /// The keys and values of the configuration file.
    func readFile() throws(ConfigError) -> [String: ConfigValue] {
        guard FileManager.default.fileExists(atPath: path) else {
            if pathIsExplicit { throw .unreadable(path: path, reason: "no such file") }
            return [:]
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        if data.allSatisfy({ [0x20, 0x0a, 0x0d, 0x09].contains($0) }) { return [:] }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ConfigError.malformed(path: path, reason: "the top level must be an object")
            }
            object = parsed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .malformed(path: path, reason: "\(error.localizedDescription)")
        }
        let unknown = object.keys.filter { ConfigKey.byName[$0] == nil }.sorted()
        if !unknown.isEmpty { throw .unknownKeys(unknown) }
        var values: [String: ConfigValue] = [:]
        for (name, json) in object {
            guard let key = ConfigKey.byName[name] else { continue }
            values[name] = try ConfigValue(json: json, for: key)
        }
        return values
    }

    /// Checks the values of a merged configuration.
    static func validate(_ config: DaemonConfig) throws(ConfigError) {
        for (key, path) in [("data-root", config.dataRoot), ("exec-root", config.execRoot)] where !path.hasPrefix("/") {
            throw .invalid(key: key, reason: "\(path) is not an absolute path")
        }
        if !config.pidfile.isEmpty && !config.pidfile.hasPrefix("/") {
            throw .invalid(key: "pidfile", reason: "\(config.pidfile) is not an absolute path")
        }
        guard ["debug", "info", "warn", "error", "fatal"].contains(config.logLevel) else {
            throw .invalid(key: "log-level", reason: "\(config.logLevel) is not one of debug, info, warn, error, fatal")
        }
        guard config.shutdownTimeout >= -1 else { throw .invalid(key: "shutdown-timeout", reason: "must be -1 or more") }
        guard (0...60).contains(config.childRestartWait) else {
            throw .invalid(key: "child-restart-wait", reason: "must be 0 to 60 seconds, not \(config.childRestartWait)")
        }
        for (key, value) in [
            ("max-concurrent-downloads", config.maxConcurrentDownloads), ("max-concurrent-uploads", config.maxConcurrentUploads),
            ("api-read-header-timeout", config.apiReadHeaderTimeout), ("api-idle-timeout", config.apiIdleTimeout),
            ("api-max-connections", config.apiMaxConnections),
        ] where value < 1 {
            throw .invalid(key: key, reason: "must be at least 1, not \(value)")
        }
        for (key, value) in [("api-read-header-timeout", config.apiReadHeaderTimeout), ("api-idle-timeout", config.apiIdleTimeout)]
        where value > Self.longestTimeout {
            throw .invalid(key: key, reason: "must be at most \(Self.longestTimeout) seconds (a year), not \(value)")
        }
        for label in config.labels where !label.contains("=") || label.hasPrefix("=") {
            throw .invalid(key: "labels", reason: "\(label) is not of the form key=value")
        }
        for host in config.effectiveHosts where !host.hasPrefix("fd://") {
            let addresses: [ListenAddress]
            do {
                addresses = try ListenAddress.parse(host)
            } catch {
                throw .invalid(key: "hosts", reason: error.message)
            }
            for address in addresses { try ListenerSetup.checkAuthentication(address, config: config) }
        }
        guard ["", "overlayfs", "overlay2", "overlay", "native"].contains(config.storageDriver) else {
            throw .invalid(key: "storage-driver", reason: "\(config.storageDriver) is not supported: use overlayfs or native")
        }
        guard ["json-file", "local", "none"].contains(config.logDriver) else {
            throw .invalid(key: "log-driver", reason: "\(config.logDriver) is not supported: use json-file, local or none")
        }
        for pool in config.defaultAddressPools where !(1...32).contains(pool.size) || !pool.base.contains("/") {
            throw .invalid(key: "default-address-pools", reason: "\(pool.base) with size \(pool.size) is not a valid pool")
        }
    }
}
