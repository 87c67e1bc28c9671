import Foundation
import Logging
import Messages
import Registry
import Supervision

/// The `images` child: image records and the references (names, tags, digests) that point at them,
/// kept in `images.db`. The bytes live in containerd's content store and snapshots: every image has a
/// containerd image record (`berth.image/<id>`) that keeps its manifest, configuration, layers and
/// unpacked snapshots safe from containerd's garbage collector.
public actor ImagesChild: ServingChild, ImagesService {
    let catalog: ImageCatalog
    let subsystems: ImagesSiblings
    let events: any EventBus
    /// Where tarballs are unpacked while they are loaded (`<data-root>/tmp`).
    let stagingRoot: String
    let registry: RegistryClient
    let maxConcurrentDownloads: Int
    let maxConcurrentUploads: Int
    /// The leases not given back yet (see `+Leftovers`).
    let leaseLedger: LeaseLedger
    var logger: Logger?

    public init(
        dataRoot: String, subsystems: ImagesSiblings, events: any EventBus, registry: RegistryClient, maxConcurrentDownloads: Int,
        maxConcurrentUploads: Int
    ) throws {
        catalog = try ImageCatalog(dataRoot: dataRoot)
        self.subsystems = subsystems
        self.events = events
        stagingRoot = dataRoot + "/tmp"
        leaseLedger = LeaseLedger(dataRoot: dataRoot)
        self.registry = registry
        self.maxConcurrentDownloads = maxConcurrentDownloads
        self.maxConcurrentUploads = maxConcurrentUploads
    }

    public func imageCount() async throws -> Int {
        try catalog.count()
    }

    public func diskUsage() async throws -> [ImageUsage] {
        try await list(ImageListQuery(all: true))
    }

    public func list(_ query: ImageListQuery) async throws -> [ImageUsage] {
        let filter = try ImageFilter(query.filters)
        var all = try await catalog.all()
        if !query.all {
            // Intermediate images (a build's steps: untagged, with children) show only with `all`.
            let parents = Set(all.map(\.image.parentID))
            all.removeAll { $0.names.isEmpty && parents.contains($0.image.id) }
        }
        let summaries = all.map { Self.summary(of: $0.image, names: $0.names) }
        return try summaries.filter { try filter.matches($0, among: summaries) }.map(filter.narrowed)
    }

    public func inspect(_ name: String) async throws -> ImageDetails {
        let image = try await catalog.resolve(name)
        let config = try ImageConfig.parse(image.config)
        let driver = try await subsystems.graphdriver.ask { try await $0.status() }.driver
        return ImageDetails(
            summary: Self.summary(of: image, names: try await catalog.names(of: image.id)),
            createdAt: config.created ?? UnixTime.rfc3339(nano: 0), author: config.author ?? "", comment: config.comment ?? "",
            dockerVersion: config.docker_version ?? "", architecture: config.architecture ?? "", variant: config.variant,
            os: config.os ?? "", config: config.config ?? .null, layers: config.rootfs.diff_ids, storageDriver: driver,
            lastTagTime: image.lastTagNano > 0 ? UnixTime.rfc3339(nano: image.lastTagNano) : nil)
    }

    public func history(_ name: String) async throws -> [ImageHistoryEntry] {
        let image = try await catalog.resolve(name)
        let config = try ImageConfig.parse(image.config)
        let manifest = try ImageManifest.parse(image.manifest)
        let tags = try await catalog.names(of: image.id).filter { !$0.isDigest }.compactMap { try? ImageReference(parsing: $0.name).familiar }
        var layerSizes = manifest.layers.map(\.size).makeIterator()
        let entries = (config.history ?? []).map { step in
            ImageHistoryEntry(
                id: "<missing>", created: (step.created.flatMap(UnixTime.parseRFC3339) ?? 0) / 1_000_000_000,
                createdBy: step.created_by ?? "", tags: [], size: step.empty_layer == true ? 0 : layerSizes.next() ?? 0,
                comment: step.comment ?? "")
        }
        var newestFirst = Array(entries.reversed())
        if newestFirst.isEmpty {
            newestFirst = [ImageHistoryEntry(id: "<missing>", created: config.createdNano / 1_000_000_000, createdBy: "", tags: [], size: image.size, comment: "")]
        }
        newestFirst[0].tags = tags
        // A built image's parents are its steps: each names the entry its step added (the newest of
        // its own history), as dockerd shows intermediate images.
        var step: StoredImage? = image
        while let current = step {
            let count = (try? ImageConfig.parse(current.config).history?.count) ?? nil
            if let count, count > 0, count <= newestFirst.count { newestFirst[newestFirst.count - count].id = current.id }
            step = current.parentID.isEmpty ? nil : try? await catalog.resolve(current.parentID)
        }
        newestFirst[0].id = image.id
        return newestFirst
    }

    /// The list form of an image.
    static func summary(of image: StoredImage, names: [StoredReference]) -> ImageUsage {
        let labels = (try? ImageConfig.parse(image.config).labels) ?? [:]
        let familiar = names.compactMap { name in (try? ImageReference(parsing: name.name)).map { (name.isDigest, $0) } }
        return ImageUsage(
            id: image.id, parentID: image.parentID, repoTags: familiar.filter { !$0.0 }.map(\.1.familiar).sorted(),
            repoDigests: familiar.filter(\.0).map(\.1.familiar).sorted(), created: image.createdNano / 1_000_000_000,
            size: image.size, sharedSize: -1, containers: -1, labels: labels)
    }

    /// Publishes an image event.
    func publish(_ action: String, id: String, name: String? = nil) async {
        var attributes: [String: String] = [:]
        if let name { attributes["name"] = name }
        await events.publish(EngineEvent(type: "image", action: action, actor: .init(id: name ?? id, attributes: attributes), timeNano: UnixTime.nowNano))
    }
}
