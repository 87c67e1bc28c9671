/// Requests the `images` child answers: the local image store (names, configs, history) on top of
/// containerd's content store.
public protocol ImagesService: Sendable {
    /// How many images exist (`Images` in `/info`).
    func imageCount() async throws -> Int
    /// Every image with its sizes, for `/system/df`.
    func diskUsage() async throws -> [ImageUsage]
    /// `GET /images/json`: images matching the query, newest first.
    func list(_ query: ImageListQuery) async throws -> [ImageUsage]
    /// `GET /images/{name}/json`: an image by name, full ID or unique ID prefix.
    func inspect(_ name: String) async throws -> ImageDetails
    /// `GET /images/{name}/history`: the layers' history, newest first.
    func history(_ name: String) async throws -> [ImageHistoryEntry]
    /// `POST /images/{name}/tag`: adds `repository[:tag]` as a name of the image.
    func tag(_ name: String, repository: String, tag: String?) async throws
    /// `DELETE /images/{name}`: removes a name, and the image once no name is left (or with `force`).
    func remove(_ name: String, force: Bool, prune: Bool) async throws -> [ImageDeleteItem]
    /// `POST /images/load`: loads every image of a docker-archive or OCI-layout tarball staged at
    /// `path`, reporting each layer it loads to `progress`; returns the lines `docker load` prints
    /// ("Loaded image: busybox:latest").
    func load(archiveAt path: String, progress: ProgressSink?) async throws -> [String]
    /// `GET /images/get`: writes the named images into one docker-archive (with an OCI layout) at `path`.
    func save(_ names: [String], toArchiveAt path: String) async throws
    /// `POST /images/create?fromImage=`: pulls `name` from its registry, reporting progress.
    func pull(_ name: String, auth: RegistryAuth?, progress: ProgressSink) async throws
    /// `POST /images/{name}/push`: pushes `name` (with `tag`, if given) to its registry, reporting progress.
    func push(_ name: String, tag: String?, auth: RegistryAuth?, progress: ProgressSink) async throws
    /// `GET /distribution/{name}/json`: the manifest descriptor and platforms a registry serves for `name`.
    func distribution(_ name: String, auth: RegistryAuth?) async throws -> DistributionInfo
    /// `POST /auth`: checks credentials with a registry; returns the status line ("Login Succeeded").
    func login(_ auth: RegistryAuth) async throws -> String
    /// `POST /images/prune`: removes unused images per Docker's prune filters.
    func prune(_ filters: [String: [String]]) async throws -> ImagePruneReport
    /// `POST /images/create?fromSrc=-`: a one-layer image from the root filesystem tarball at `path`,
    /// named `reference` if given, with Dockerfile-style `changes`; returns the image ID.
    func importRootfs(tarballAt path: String, reference: String?, changes: [String], message: String) async throws -> String
    /// What a container created from `name` is built on: the image's ID, its `config` and its top
    /// snapshot. A missing image is `notFound` with "No such image: name" (the CLI then pulls).
    func containerImage(_ name: String) async throws -> ContainerImage
    /// `docker commit`: a new image made of the image `parentID` plus the layer tar at `path` (a
    /// container's changes), with the container's configuration after `changes`; returns its ID.
    func commit(layerAt path: String, parentID: String, config: ContainerConfig, options: CommitOptions) async throws -> String

    /// `POST /build`: runs the legacy builder on the context tarball at `contextAt` (plain or
    /// compressed), streaming dockerd's output lines to `output`; returns the final image's ID. Errors
    /// before the first step (a Dockerfile that does not parse, an unknown target) are thrown as they are.
    func build(_ request: BuildRequest, contextAt path: String, output: ProgressSink) async throws -> String
    /// `POST /build/prune`: removes build cache records (all with `all`, else those not used for
    /// `until`), and the intermediate images only they kept, until at most `keepStorage` bytes are left.
    func pruneBuildCache(all: Bool, keepStorage: Int64, filters: [String: [String]]) async throws -> BuildCachePruneReport
    /// The build cache's size, for `/system/df`.
    func buildCacheUsage() async throws -> BuildCacheUsage
}

/// What `POST /commit` says beyond the container: the new image's name and history.
public struct CommitOptions: Sendable, Codable, Equatable {
    public var containerID: String
    public var reference: String?
    public var comment: String
    public var author: String
    public var changes: [String]
    public var pause: Bool

    public init(containerID: String, reference: String?, comment: String, author: String, changes: [String], pause: Bool) {
        self.containerID = containerID
        self.reference = reference
        self.comment = comment
        self.author = author
        self.changes = changes
        self.pause = pause
    }
}

/// The parts of an image a container starts from.
public struct ContainerImage: Sendable, Codable, Equatable {
    public var id: String
    /// The image configuration's `config` object (Cmd, Entrypoint, Env, User, WorkingDir, …).
    public var config: ContainerConfig
    /// The chain ID of the top layer; `nil` for an image without layers.
    public var topChainID: String?

    public init(id: String, config: ContainerConfig, topChainID: String?) {
        self.id = id
        self.config = config
        self.topChainID = topChainID
    }
}

/// How `GET /images/json` selects images.
public struct ImageListQuery: Sendable, Codable, Hashable {
    /// Include intermediate images.
    public var all: Bool
    /// Docker's filters: `dangling`, `label`, `reference`, `before`, `since`, `until`.
    public var filters: [String: [String]]

    public init(all: Bool = false, filters: [String: [String]] = [:]) {
        self.all = all
        self.filters = filters
    }
}

/// One image in a list.
public struct ImageUsage: Sendable, Codable, Hashable {
    public var id: String
    public var parentID: String
    public var repoTags: [String]
    public var repoDigests: [String]
    public var created: Int64
    public var size: Int64
    public var sharedSize: Int64
    public var containers: Int64
    public var labels: [String: String]

    public init(id: String, parentID: String, repoTags: [String], repoDigests: [String], created: Int64, size: Int64, sharedSize: Int64, containers: Int64, labels: [String: String]) {
        self.id = id
        self.parentID = parentID
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.created = created
        self.size = size
        self.sharedSize = sharedSize
        self.containers = containers
        self.labels = labels
    }
}

/// Everything `docker image inspect` shows.
public struct ImageDetails: Sendable, Codable, Equatable {
    public var summary: ImageUsage
    /// RFC 3339.
    public var createdAt: String
    public var author: String
    public var comment: String
    public var dockerVersion: String
    public var architecture: String
    public var variant: String?
    public var os: String
    /// The image's container configuration (`Cmd`, `Env`, …), as the image config has it.
    public var config: JSONValue
    /// The `rootfs.diff_ids`.
    public var layers: [String]
    public var storageDriver: String
    public var lastTagTime: String?

    public init(
        summary: ImageUsage, createdAt: String, author: String, comment: String, dockerVersion: String, architecture: String,
        variant: String?, os: String, config: JSONValue, layers: [String], storageDriver: String, lastTagTime: String?
    ) {
        self.summary = summary
        self.createdAt = createdAt
        self.author = author
        self.comment = comment
        self.dockerVersion = dockerVersion
        self.architecture = architecture
        self.variant = variant
        self.os = os
        self.config = config
        self.layers = layers
        self.storageDriver = storageDriver
        self.lastTagTime = lastTagTime
    }
}

/// One line of `docker history`.
public struct ImageHistoryEntry: Sendable, Codable, Hashable {
    /// The image ID for the top entry, `<missing>` below it.
    public var id: String
    public var created: Int64
    public var createdBy: String
    public var tags: [String]
    public var size: Int64
    public var comment: String

    public init(id: String, created: Int64, createdBy: String, tags: [String], size: Int64, comment: String) {
        self.id = id
        self.created = created
        self.createdBy = createdBy
        self.tags = tags
        self.size = size
        self.comment = comment
    }
}

/// What a registry serves for a name (`GET /distribution/{name}/json`).
public struct DistributionInfo: Sendable, Codable, Hashable {
    public var descriptor: ContentDescriptor
    /// `[os, architecture]` pairs.
    public var platforms: [[String]]

    public init(descriptor: ContentDescriptor, platforms: [[String]]) {
        self.descriptor = descriptor
        self.platforms = platforms
    }
}

/// What `POST /images/prune` removed.
public struct ImagePruneReport: Sendable, Codable, Hashable {
    public var deleted: [ImageDeleteItem]
    public var spaceReclaimed: Int64

    public init(deleted: [ImageDeleteItem], spaceReclaimed: Int64) {
        self.deleted = deleted
        self.spaceReclaimed = spaceReclaimed
    }
}

/// One line of the answer to `DELETE /images/{name}`.
public enum ImageDeleteItem: Sendable, Codable, Hashable {
    case untagged(String)
    case deleted(String)
}
