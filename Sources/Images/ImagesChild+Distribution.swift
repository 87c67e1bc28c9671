import Foundation
import Messages
import Registry

extension ImagesChild {
    /// `GET /distribution/{name}/json`: what the registry serves for `name`, without pulling it.
    public func distribution(_ name: String, auth: RegistryAuth?) async throws -> DistributionInfo {
        try await talkingToRegistry {
            let reference = try ImageReference(parsing: name)
            let (descriptor, body) = try await registry.manifest(
                registry: Self.registryHost(reference.domain), repository: reference.path,
                reference: reference.digest ?? reference.tag ?? "latest", credentials: auth.flatMap(Self.credentials),
                accept: Self.manifestMediaTypes)
            let platforms = ImageIndex.mediaTypes.contains(descriptor.mediaType)
                ? ((try? JSONDecoder().decode(ImageIndex.self, from: Data(body)))?.manifests.compactMap(\.platform) ?? [])
                : [ImageIndex.Platform(architecture: "amd64", os: "linux")]
            return DistributionInfo(
                descriptor: ContentDescriptor(mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size),
                platforms: platforms.map { [$0.os, $0.architecture] })
        }
    }
}
