import NIOHTTP1

/// Which requests have their body written to a file as it arrives instead of collected in memory, where,
/// and up to what size: image tarballs of `docker load` and `docker import` run to gigabytes.
///
/// For a request it applies to, the server creates a new file (mode `0600`, a unique name starting with
/// ``filePrefix``) in ``directory``, writes the body parts to it as they are read, and hands the responder
/// an ``HTTPRequest`` whose ``HTTPRequest/body`` is empty and whose ``HTTPRequest/bodyFile`` is the
/// file's path; every such request gets a file, an empty one when there is no body. The server removes the
/// file after the response has been sent, or as soon as the request fails (client gone, body too large).
///
/// A body larger than ``maxBodySize`` gets `413` and its partial file is removed; a file that cannot be
/// created or written (e.g. the disk is full) gets `500`. The in-memory limit of
/// ``HTTPServer/init(addresses:responder:logger:eventLoopGroup:maxRequestBodySize:bodySpooling:)`` does
/// not apply to these requests. Files of a process that died mid-request stay behind: the owner of
/// ``directory`` may remove the ``filePrefix`` files when it starts, before the server does.
public struct BodySpooling: Sendable {
    /// The default bound on a spooled body: 64 GiB.
    public static let defaultMaxBodySize: Int64 = 64 << 30

    /// How the name of every spooled body file begins.
    public static let filePrefix = "berth-body-"

    /// Where the files are created (e.g. `<data-root>/tmp`); the server creates this directory (not its
    /// parents, mode `0700`) when it is missing.
    public var directory: String
    /// The largest body accepted; a larger one gets `413`.
    public var maxBodySize: Int64
    /// Whether the body of a request with this method and percent-decoded path (as in
    /// ``HTTPRequest/path``, with any `/v1.xx` prefix) is spooled. It is called once per request, on the
    /// connection's task, before the body is read.
    public var applies: @Sendable (HTTPMethod, String) -> Bool

    /// Spools, up to `maxBodySize`, the bodies of the requests for which `applies` returns true.
    public init(
        directory: String,
        maxBodySize: Int64 = BodySpooling.defaultMaxBodySize,
        applies: @escaping @Sendable (_ method: HTTPMethod, _ path: String) -> Bool
    ) {
        self.directory = directory
        self.maxBodySize = maxBodySize
        self.applies = applies
    }
}
