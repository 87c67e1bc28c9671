import Foundation
import Messages

/// Finds legacy plugins on disk, the way dockerd does: a socket `DIR/NAME.sock` or `DIR/NAME/NAME.sock`
/// in the socket directories first, then a spec file `DIR/NAME.spec` (one URL) or `DIR/NAME.json`
/// (`{"Name": …, "Addr": …, "TLSConfig": …}`) in the spec directories.
///
/// Directories that do not exist are normal (most hosts have no plugins) and are skipped. It only
/// reads the file system: whether a plugin answers is the caller's business.
struct PluginDirectories: Sendable {
    var socketDirectories: [String]
    var specDirectories: [String]

    /// The address of plugin `name`; nil when no socket or spec file names it.
    /// Throws for a spec file that cannot be used (malformed, or asking for TLS).
    func locate(_ name: String) throws -> PluginAddress? {
        guard Self.isPlausible(name) else { return nil }
        for directory in socketDirectories {
            for path in ["\(directory)/\(name).sock", "\(directory)/\(name)/\(name).sock"] where Self.isSocket(path) {
                return .unix(path: path)
            }
        }
        for directory in specDirectories {
            let specPath = "\(directory)/\(name).spec"
            if let data = FileManager.default.contents(atPath: specPath) {
                return try Self.address(ofSpec: String(decoding: data, as: UTF8.self), path: specPath, plugin: name)
            }
            let jsonPath = "\(directory)/\(name).json"
            if let data = FileManager.default.contents(atPath: jsonPath) {
                return try Self.address(ofJSONSpec: data, path: jsonPath, plugin: name)
            }
        }
        return nil
    }

    /// The names of all the plugins the directories hold, sorted.
    func names() -> [String] {
        var names = Set<String>()
        for directory in socketDirectories {
            for entry in Self.entries(of: directory) {
                if entry.hasSuffix(".sock"), Self.isSocket("\(directory)/\(entry)") {
                    names.insert(String(entry.dropLast(".sock".count)))
                } else if Self.isSocket("\(directory)/\(entry)/\(entry).sock") {
                    names.insert(entry)
                }
            }
        }
        for directory in specDirectories {
            for entry in Self.entries(of: directory) {
                for suffix in [".spec", ".json"] where entry.hasSuffix(suffix) {
                    names.insert(String(entry.dropLast(suffix.count)))
                }
            }
        }
        return names.filter(Self.isPlausible).sorted()
    }

    /// A name that can only mean a file directly in a plugin directory.
    private static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/")
    }

    private static func entries(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    private static func isSocket(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeSocket
    }

    private static func address(ofSpec text: String, path: String, plugin: String) throws -> PluginAddress {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("https://") {
            throw EngineError.notImplemented("plugin \(plugin): TLS (\(path)) is not supported")
        }
        guard let address = PluginAddress(url: text) else {
            throw EngineError.invalidArgument("plugin \(plugin): \(path) does not hold a unix:// or tcp:// address")
        }
        return address
    }

    private static func address(ofJSONSpec data: Data, path: String, plugin: String) throws -> PluginAddress {
        guard let spec = try? JSONDecoder().decode(JSONValue.self, from: data), let address = spec["Addr"]?.stringValue else {
            throw EngineError.invalidArgument("plugin \(plugin): \(path) is not a plugin spec (JSON with an Addr)")
        }
        if let tls = spec["TLSConfig"], tls != .null {
            throw EngineError.notImplemented("plugin \(plugin): TLS (TLSConfig in \(path)) is not supported")
        }
        return try Self.address(ofSpec: address, path: path, plugin: plugin)
    }
}
