import Digests
import Foundation
import Messages

extension ImagesChild {
    public func containerImage(_ name: String) async throws -> ContainerImage {
        let image = try await catalog.resolve(name)
        let config = try ImageConfig.parse(image.config)
        let containerConfig = try config.config.map { try JSONDecoder().decode(ContainerConfig.self, from: JSONEncoder().encode($0)) } ?? ContainerConfig()
        return ContainerImage(id: image.id, config: containerConfig, topChainID: SHA256Digest.chainIDs(config.rootfs.diff_ids).last)
    }
}
