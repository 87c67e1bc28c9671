/// `POST /build`: what the legacy builder is asked to do, as dockerd reads its query parameters. The
/// build context travels as a file (a tar, plain or compressed), never inside the message.
public struct BuildRequest: Sendable, Codable, Equatable {
    /// The Dockerfile's path inside the context (`dockerfile`, default `Dockerfile`).
    public var dockerfile: String = "Dockerfile"
    /// The names to give the final image (`t`, several).
    public var tags: [String] = []
    /// `q`: print only the final image ID.
    public var quiet = false
    /// `nocache`: run every step instead of reusing an earlier result.
    public var noCache = false
    /// `pull`: pull every `FROM` image even when it is present.
    public var pull = false
    /// `rm` (default true): remove a step's container once the step succeeded.
    public var remove = true
    /// `forcerm`: remove a step's container even when the step failed.
    public var forceRemove = false
    /// `buildargs`: values for the Dockerfile's `ARG`s (`nil`: declared without a value).
    public var buildArgs: [String: String?] = [:]
    /// `labels`: added to the final image, as a last `LABEL` step.
    public var labels: [String: String] = [:]
    /// `target`: the stage to stop at (name or index); empty: the last one.
    public var target = ""
    /// `extrahosts`, `networkmode` and the resource limits, for the containers that run `RUN` steps.
    public var hostConfig = HostConfig()
    /// `cachefrom`: images whose steps may be reused (besides the local build cache).
    public var cacheFrom: [String] = []
    /// `platform`; empty: the host's.
    public var platform = ""
    /// `X-Registry-Config`: credentials per registry, for pulling `FROM` images.
    public var registryAuths: [String: RegistryAuth] = [:]
    /// `remote`: a URL to fetch the context from instead of the body (an http(s) tarball, or a plain
    /// Dockerfile that is then the whole context).
    public var remote: String?
    /// `buildid`: the name `POST /build/cancel?id=` stops the build by.
    public var buildID: String?

    public init() {}
}

/// What `POST /build/prune` removed.
public struct BuildCachePruneReport: Sendable, Codable, Equatable {
    /// The IDs of the cache records removed.
    public var deleted: [String]
    public var spaceReclaimed: Int64

    public init(deleted: [String], spaceReclaimed: Int64) {
        self.deleted = deleted
        self.spaceReclaimed = spaceReclaimed
    }
}

/// The build cache's size, for `/system/df` (`BuilderSize`) and prune.
public struct BuildCacheUsage: Sendable, Codable, Equatable {
    public var records: Int
    public var size: Int64

    public init(records: Int, size: Int64) {
        self.records = records
        self.size = size
    }
}

/// A build step whose command failed: dockerd reports its exit code beside the message
/// (`"errorDetail":{"code":3,…}`), and the docker CLI exits with it.
public struct BuildStepFailure: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public var message: String
    public var exitCode: Int

    public init(message: String, exitCode: Int) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
