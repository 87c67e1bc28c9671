import Foundation

/// Where a legacy plugin listens: a unix socket, or a TCP port (plain HTTP; TLS is not supported).
enum PluginAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// The address a spec file names: `unix:///path.sock`, `tcp://host:port` or `http://host:port`;
    /// nil for anything else.
    init?(url text: String) {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        switch url.scheme {
        case "unix":
            guard url.path.hasPrefix("/") else { return nil }
            self = .unix(path: url.path)
        case "tcp", "http":
            guard let host = url.host, !host.isEmpty, let port = url.port else { return nil }
            self = .tcp(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
        default:
            return nil
        }
    }

    /// The address as a spec file would write it.
    var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }
}
