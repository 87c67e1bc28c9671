import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// A client for the Docker Registry HTTP API v2 (the OCI distribution API): what `docker pull`,
/// `docker push` and `docker login` need from a registry.
///
/// - Pulls fetch a manifest by tag or digest (`manifest(…)`) and stream blobs to files while verifying
///   their sha256 (`fetchBlob(…)`).
/// - Pushes check for blobs (`blobExists`), mount them from another repository (`mountBlob`), upload
///   them in one piece (`uploadBlob`) and put the manifest (`putManifest`).
/// - `login(…)` checks credentials against `/v2/` and, for bearer registries, the token server.
///
/// Authentication follows the registry's `WWW-Authenticate` challenge: `Basic` is answered with the
/// credentials; `Bearer` with a token fetched from the realm it names (with the credentials as basic
/// auth, or an identity token as an OAuth2 refresh token; anonymously without credentials). The client
/// remembers each registry's challenge, so later requests authenticate up front, and caches tokens per
/// registry, scope and credentials until shortly before they expire.
///
/// Registries on loopback (`127.0.0.0/8`, `localhost`, `::1`) and the insecure ones are spoken to over
/// plain HTTP, others over HTTPS. Redirects (blob storage) are followed; the `Authorization` header is
/// only ever sent to the registry itself.
///
/// What it does not do: chunked or resumable uploads, retries of failed transfers (the caller decides),
/// schema 1 manifests, mirrors, or choosing a platform from a manifest list (it hands back the bytes).
/// The sha256 algorithm is the only one verified.
///
/// A `final class` rather than an actor so that parallel blob transfers hash and write on their own
/// tasks instead of taking turns on one executor; its only mutable state, the `AuthCache`, sits in a
/// `Mutex` and is never held across an `await`.
public final class RegistryClient: Sendable {
    let httpClient: HTTPClient
    let insecureRegistries: [String]
    let logger: Logger
    let authCache = Mutex(AuthCache())

    /// The largest manifest accepted: 4 MiB, as containerd and the distribution spec.
    public static let maxManifestSize = 4 << 20
    /// How long a request without a blob body or download may take in all.
    static let requestTimeout: TimeAmount = .seconds(120)
    /// The most redirects followed for one request when the `HTTPClient` does not follow them itself.
    static let maxRedirects = 10

    /// The HTTP client registry clients use unless given another: one per process, never shut down (like
    /// `HTTPClient.shared`), configured with `httpClientConfiguration`.
    public static let sharedHTTPClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpClientConfiguration)

    /// How registry traffic is best sent, and how `sharedHTTPClient` is configured:
    ///
    /// | setting | value | why |
    /// |---|---|---|
    /// | connect timeout | 30 s | docker's dial timeout |
    /// | read timeout | 5 min | the longest silence tolerated inside a transfer |
    /// | retry connection establishment | off | a refused connection fails the request at once; with it on (as in `HTTPClient.shared`), `docker pull` from a registry that is down would wait out the whole connect timeout |
    /// | decompression | off | blobs are verified byte for byte against their digest |
    /// | redirects | follow, at most 10, no cycles | blob storage; `Authorization` is dropped when the origin changes |
    public static var httpClientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: maxRedirects, allowCycles: false),
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(30), read: .minutes(5)),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// - Parameters:
    ///   - httpClient: The HTTP client to send requests with; by default `sharedHTTPClient`. Its timeouts
    ///     apply to blob transfers. A client that does not follow redirects is fine (the registry client
    ///     then follows them itself); one that decompresses responses may break digest checks of blob
    ///     storage that sends `Content-Encoding`.
    ///   - insecureRegistries: Registries spoken to over plain HTTP besides loopback ones: `host[:port]`
    ///     (a bare host matches any port) or IPv4 CIDRs, as in `daemon.json`'s `insecure-registries`.
    ///   - logger: Where requests and token fetches are logged, at debug level.
    public init(httpClient: HTTPClient = RegistryClient.sharedHTTPClient, insecureRegistries: [String] = [], logger: Logger) {
        self.httpClient = httpClient
        self.insecureRegistries = insecureRegistries
        self.logger = logger
    }

    /// Checks credentials with a registry: `GET /v2/` answering its challenge (basic, or a token from its
    /// token server for bearer registries). A registry that asks for no authentication accepts any
    /// credentials, as with docker.
    ///
    /// - Throws: `RegistryError` `.unauthorized` (`login attempt to http://…/v2/ failed with status: 401
    ///   Unauthorized`) when the registry or its token server refuses them, `.unavailable` when it cannot
    ///   be reached.
    public func login(registry host: String, credentials: RegistryCredentials) async throws {
        let endpoint = try endpoint(host)
        let operation = RegistryOperation(
            endpoint: endpoint, access: .login, scopes: [], credentials: credentials, subject: "registry \(host)", fresh: true)
        let response = try await perform(HTTPClientRequest(url: endpoint.apiBase), operation, expecting: [200])
        await discard(response)
        logger.debug("logged in to registry", metadata: ["registry": "\(host)", "username": "\(credentials.username)"])
    }

    func endpoint(_ host: String) throws -> RegistryEndpoint {
        try RegistryEndpoint(host: host, insecureRegistries: insecureRegistries)
    }
}
