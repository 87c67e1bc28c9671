import Digests
import Foundation
import Messages

/// The parts of an OCI / Docker image configuration berthd reads. The configuration itself is kept
/// byte for byte, since its digest is the image ID.
struct ImageConfig: Decodable, Sendable {
    struct RootFS: Codable, Sendable {
        var type: String
        var diff_ids: [String]
    }

    struct History: Codable, Sendable {
        var created: String?
        var created_by: String?
        var author: String?
        var comment: String?
        var empty_layer: Bool?
    }

    var architecture: String?
    var variant: String?
    var os: String?
    var created: String?
    var author: String?
    var comment: String?
    var docker_version: String?
    var config: JSONValue?
    var rootfs: RootFS
    var history: [History]?

    /// Parses a configuration; a clear 400 when it is not one.
    static func parse(_ data: Data) throws(EngineError) -> ImageConfig {
        do {
            let config = try JSONDecoder().decode(ImageConfig.self, from: data)
            guard config.rootfs.type == "layers" else { throw EngineError.invalidArgument("unsupported rootfs type \(config.rootfs.type)") }
            for id in config.rootfs.diff_ids where !SHA256Digest.isValid(id) {
                throw EngineError.invalidArgument("invalid layer digest \(id) in the image configuration")
            }
            return config
        } catch let error as EngineError {
            throw error
        } catch {
            throw .invalidArgument("invalid image configuration: \(error)")
        }
    }

    /// The creation time in nanoseconds since the epoch (0 when absent or unreadable).
    var createdNano: Int64 { created.flatMap(UnixTime.parseRFC3339) ?? 0 }

    /// The image's labels (`config.Labels`).
    var labels: [String: String] {
        guard case .object(let members)? = config?["Labels"] else { return [:] }
        return Dictionary(members.compactMap { key, value in
            if case .string(let text) = value { (key, text) } else { nil }
        }, uniquingKeysWith: { _, last in last })
    }
}
