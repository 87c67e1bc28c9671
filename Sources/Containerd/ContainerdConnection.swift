import ContainerdAPI
import GRPCCore
import GRPCNIOTransportHTTP2

/// The gRPC client of one containerd incarnation and the service clients made from it. Its
/// connections answer containerd's PINGs below HTTP/2 (see ``PingResponder``).
///
/// Every call made through it works in `ContainerdChild.namespace` (stamped by `NamespaceInterceptor`);
/// a call that creates things under a lease adds `metadata(lease:)`. It does not run the client's
/// connections: the incarnation that made it runs `client.runConnections()` in its own task group and
/// drops the connection when it ends.
struct ContainerdConnection: Sendable {
    typealias Transport = HTTP2ClientTransport.Posix

    let client: GRPCClient<Transport>
    let version: Containerd_Services_Version_V1_Version.Client<Transport>
    let content: Containerd_Services_Content_V1_Content.Client<Transport>
    let leases: Containerd_Services_Leases_V1_Leases.Client<Transport>
    let images: Containerd_Services_Images_V1_Images.Client<Transport>
    let snapshots: Containerd_Services_Snapshots_V1_Snapshots.Client<Transport>
    let diff: Containerd_Services_Diff_V1_Diff.Client<Transport>
    let containers: Containerd_Services_Containers_V1_Containers.Client<Transport>
    let tasks: Containerd_Services_Tasks_V1_Tasks.Client<Transport>
    let events: Containerd_Services_Events_V1_Events.Client<Transport>

    /// A client for the containerd listening on the unix socket `socket`; nothing connects until the
    /// client's connections run.
    init(socket: String, namespace: String) throws {
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(PingResponder(), position: .first) }
        }
        client = GRPCClient(
            transport: try HTTP2ClientTransport.Posix(target: .unixDomainSocket(path: socket), transportSecurity: .plaintext, config: config),
            interceptors: [NamespaceInterceptor(namespace: namespace)])
        version = .init(wrapping: client)
        content = .init(wrapping: client)
        leases = .init(wrapping: client)
        images = .init(wrapping: client)
        snapshots = .init(wrapping: client)
        diff = .init(wrapping: client)
        containers = .init(wrapping: client)
        tasks = .init(wrapping: client)
        events = .init(wrapping: client)
    }

    /// The metadata of a call that works under `lease` (empty without one).
    static func metadata(lease: String?) -> Metadata {
        var metadata = Metadata()
        if let lease { metadata.addString(lease, forKey: "containerd-lease") }
        return metadata
    }

    /// The largest message either side accepts: containerd's own server limit.
    static let maxMessageBytes = 16 << 20

    /// A quick unary call (info, update, list, delete, create).
    static let unary = options(timeout: .seconds(60))
    /// A call whose work grows with a layer's size: apply a diff; prepare, commit, remove or measure a
    /// snapshot (the native snapshotter copies whole trees).
    static let slow = options(timeout: .seconds(30 * 60))
    /// A streamed transfer of a blob, or a wait for a process to exit: no deadline, the caller's task
    /// bounds it.
    static let streaming = options(timeout: nil)

    private static func options(timeout: Duration?) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout
        // The client transport applies `maxRequestMessageBytes` to the messages it *receives* (4 MiB if
        // unset); `maxResponseMessageBytes` is set too in case a later transport reads that one instead.
        options.maxRequestMessageBytes = maxMessageBytes
        options.maxResponseMessageBytes = maxMessageBytes
        return options
    }
}

/// Stamps containerd's namespace on every call, so none can land outside berthd's namespace.
struct NamespaceInterceptor: ClientInterceptor {
    let namespace: String

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        request.metadata.replaceOrAddString(namespace, forKey: "containerd-namespace")
        return try await next(request, context)
    }
}
