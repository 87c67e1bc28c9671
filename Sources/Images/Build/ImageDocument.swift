import Foundation
import Messages

/// An image configuration as the builder writes it, one per step: dockerd's layout (the container
/// configuration, the history, the layers' diff IDs), with keys in order so equal documents are
/// equal bytes and so one image ID.
struct ImageDocument: Codable, Sendable {
    var architecture: String
    var author: String?
    var config: ContainerConfig
    var container: String?
    var created: String?
    var docker_version: String?
    var history: [ImageConfig.History]?
    var os: String
    var rootfs: ImageConfig.RootFS
    var variant: String?

    /// What `FROM scratch` starts from.
    static let scratch = ImageDocument(
        architecture: "amd64", config: ContainerConfig(), os: "linux", rootfs: ImageConfig.RootFS(type: "layers", diff_ids: []))

    init(architecture: String, config: ContainerConfig, os: String, rootfs: ImageConfig.RootFS) {
        self.architecture = architecture
        self.config = config
        self.os = os
        self.rootfs = rootfs
    }

    static func parse(_ data: Data) throws -> ImageDocument {
        do {
            return try JSONDecoder().decode(ImageDocument.self, from: data)
        } catch {
            throw EngineError.invalidArgument("cannot build on an image whose configuration is not readable: \(error)")
        }
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The container configuration alone, in key order: the part of a cache key that says what the
    /// step's image will be configured as.
    var configKey: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(config)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The environment as `KEY=value` pairs, a lookup for variable expansion.
    func environment(_ name: String) -> String? {
        for entry in (config.Env ?? []).reversed() {
            guard let equals = entry.firstIndex(of: "="), entry[..<equals] == name else { continue }
            return String(entry[entry.index(after: equals)...])
        }
        return nil
    }
}
