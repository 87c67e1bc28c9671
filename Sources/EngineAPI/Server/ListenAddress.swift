/// Where the HTTP server listens, as given by `dockerd -H`.
///
/// Its `description` uses the same URL forms as `-H`: `unix:///run/berth.sock`, `tcp://127.0.0.1:2375`, `fd://3`.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket file; after binding the server sets its permission bits to `mode` (e.g. `0o660`).
    case unix(path: String, mode: UInt32)
    /// A TCP socket; port 0 picks a free port (see ``HTTPServer/boundAddresses``).
    case tcp(host: String, port: Int)
    /// An already-bound listening socket inherited from systemd (socket activation); the server takes ownership of it.
    case fd(Int32)

    public var description: String {
        switch self {
        case .unix(let path, _):
            return "unix://\(path)"
        case .tcp(let host, let port):
            return host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .fd(let descriptor):
            return "fd://\(descriptor)"
        }
    }
}
