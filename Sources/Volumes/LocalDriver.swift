import Foundation
import HostCommands
import Messages

/// The `local` volume driver: a directory under `<data-root>/volumes`, or — with the options `type`,
/// `o` and `device`, as `mount -t TYPE -o O DEVICE` takes them — a filesystem mounted on that
/// directory while containers use it (`type=tmpfs`, `o=bind,device=/path`, …).
struct LocalDriver: Sendable {
    let root: String

    static let optionKeys: Set<String> = ["type", "o", "device", "size"]

    func directory(_ name: String) -> String { "\(root)/\(name)" }
    func dataPath(_ name: String) -> String { directory(name) + "/_data" }

    func validate(_ options: [String: String]) throws {
        if let key = options.keys.sorted().first(where: { !Self.optionKeys.contains($0) }) {
            throw EngineError.invalidArgument("invalid option key: \"\(key)\"")
        }
        let needsDevice = options["type"].map { $0 != "tmpfs" } ?? (options["o"] != nil)
        if needsDevice && (options["device"] ?? "").isEmpty {
            throw EngineError.invalidArgument("missing required option: \"device\"")
        }
        if options["o"]?.split(separator: ",").contains("bind") == true, let device = options["device"], !FileManager.default.fileExists(atPath: device) {
            throw EngineError.invalidArgument("failed to mount local volume: bind source \(device) does not exist")
        }
    }

    func create(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dataPath(name), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return dataPath(name)
    }

    /// Whether the volume mounts a filesystem of its own when used.
    func mountsFilesystem(_ options: [String: String]) -> Bool { options["type"] != nil || options["device"] != nil }

    func mountFilesystem(_ name: String, options: [String: String]) async throws {
        var arguments: [String] = []
        if let type = options["type"] { arguments += ["-t", type] }
        var mountOptions = options["o"].map { [$0] } ?? []
        if let size = options["size"] { mountOptions.append("size=\(size)") }
        if !mountOptions.isEmpty { arguments += ["-o", mountOptions.joined(separator: ",")] }
        arguments += [options["device"] ?? options["type"] ?? "none", dataPath(name)]
        let output = try await HostCommand(executable: "/bin/mount", arguments: arguments).run()
        guard output.status == 0 else {
            throw EngineError.internal("failed to mount local volume: mount \(arguments.joined(separator: " ")): \(output.message)")
        }
    }

    func unmountFilesystem(_ name: String) {
        _ = umount2(dataPath(name), Int32(MNT_DETACH))
    }

    func remove(_ name: String) throws {
        unmountFilesystem(name)
        if FileManager.default.fileExists(atPath: directory(name)) { try FileManager.default.removeItem(atPath: directory(name)) }
    }
}
