#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the HTTP server listens, as given by `dockerd -H`.
///
/// Its `description` uses the same URL forms as `-H`: `unix:///run/berth.sock`, `tcp://127.0.0.1:2375`, `fd://3`.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket file; after binding the server sets its permission bits to `mode` (e.g. `0o660`).
    case unix(path: String, mode: UInt32)
    /// A TCP socket; port 0 picks a free port (see ``HTTPServer/boundAddresses``).
    case tcp(host: String, port: Int)
    /// An already-bound listening socket: inherited from systemd (socket activation), or bound by
    /// ``ListeningSockets``. The server accepts on a duplicate; the descriptor stays the caller's, open.
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

extension ListenAddress {
    /// Whether only this host can connect: a unix socket, a tcp address on a loopback IP (127.0.0.0/8,
    /// `::1`) or `localhost`, or an inherited socket that is one of these. A tcp host name other than
    /// `localhost` counts as reachable from outside (it is not resolved here).
    public var isLocalOnly: Bool {
        switch self {
        case .unix:
            return true
        case .tcp(let host, _):
            return host == "localhost" || Self.isLoopback(host)
        case .fd(let descriptor):
            guard let (family, address) = Self.boundFamily(descriptor) else { return false }
            return family == AF_UNIX || Self.isLoopback(address ?? "")
        }
    }

    /// Whether connections come over TCP: a tcp address, or an inherited IPv4 or IPv6 socket.
    public var isTCP: Bool {
        switch self {
        case .tcp: true
        case .fd(let descriptor): Self.isTCPSocket(descriptor)
        case .unix: false
        }
    }

    /// Whether `descriptor` is a TCP (IPv4 or IPv6) socket rather than a unix one.
    static func isTCPSocket(_ descriptor: Int32) -> Bool {
        guard let (family, _) = boundFamily(descriptor) else { return false }
        return family == AF_INET || family == AF_INET6
    }

    /// Whether `host` is an IP address in 127.0.0.0/8, `::1`, or an IPv4-mapped 127.x address.
    static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
    }

    /// The address family of the socket `descriptor` and, for IP sockets, the address it is bound to.
    private static func boundFamily(_ descriptor: Int32) -> (Int32, String?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let found = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
        }
        guard found else { return nil }
        let family = Int32(storage.ss_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted: Bool = withUnsafePointer(to: &storage) { pointer in
            switch family {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var ip = address.pointee.sin_addr
                    return inet_ntop(AF_INET, &ip, &text, socklen_t(text.count)) != nil
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    return inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count)) != nil
                }
            default:
                return false
            }
        }
        return (family, converted ? String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil)
    }
}
