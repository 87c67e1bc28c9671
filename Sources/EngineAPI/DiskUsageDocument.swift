import Messages

/// The body of `GET /system/df`. A `nil` list was not asked for (`type=` filter) and is `null`.
enum DiskUsageDocument {
    /// The legacy builder's cache is intermediate images, which `Images` lists already: `BuildCache`
    /// has no records of its own, and `BuilderSize` counts the bytes of the cached steps' own layers.
    static func make(
        layersSize: Int64, images: [ImageUsage]?, containers: [ContainerUsage]?, volumes: [VolumeUsage]?, buildCache: BuildCacheUsage?
    ) -> JSONValue {
        [
            "LayersSize": .int(layersSize),
            "Images": images.map { .array($0.map(image)) } ?? .null,
            "Containers": containers.map { .array($0.map(container)) } ?? .null,
            "Volumes": volumes.map { .array($0.map(volume)) } ?? .null,
            "BuildCache": buildCache == nil ? .null : [],
            "BuilderSize": .int(buildCache?.size ?? 0),
        ]
    }

    private static func image(_ image: ImageUsage) -> JSONValue {
        [
            "Id": .string(image.id), "ParentId": .string(image.parentID), "RepoTags": .from(image.repoTags),
            "RepoDigests": .from(image.repoDigests), "Created": .int(image.created), "Size": .int(image.size),
            "SharedSize": .int(image.sharedSize), "VirtualSize": .int(image.size), "Labels": .from(image.labels),
            "Containers": .int(image.containers),
        ]
    }

    private static func container(_ container: ContainerUsage) -> JSONValue {
        [
            "Id": .string(container.id), "Names": .from(container.names), "Image": .string(container.image),
            "ImageID": .string(container.imageID), "Command": .string(container.command), "Created": .int(container.created),
            "Ports": [], "SizeRw": .int(container.sizeRw), "SizeRootFs": .int(container.sizeRootFs),
            "Labels": .from(container.labels), "State": .string(container.state), "Status": .string(container.status),
            "HostConfig": ["NetworkMode": "default"], "NetworkSettings": ["Networks": [:]], "Mounts": [],
        ]
    }

    private static func volume(_ volume: VolumeUsage) -> JSONValue {
        [
            "Name": .string(volume.name), "Driver": .string(volume.driver), "Mountpoint": .string(volume.mountpoint),
            "CreatedAt": .string(volume.createdAt), "Labels": .from(volume.labels), "Scope": .string(volume.scope),
            "Options": [:], "UsageData": ["Size": .int(volume.size), "RefCount": .int(volume.refCount)],
        ]
    }
}
