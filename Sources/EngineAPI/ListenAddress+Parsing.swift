import Messages

extension ListenAddress {
    /// Parses a `-H` value: `unix:///path`, `tcp://host:port` or `fd://` / `fd://N`.
    ///
    /// - Parameter inherited: the sockets systemd passed (`LISTEN_FDS`); `fd://` means all of them.
    public static func parse(_ host: String, inherited: [Int32] = []) throws(EngineError) -> [ListenAddress] {
        if host.hasPrefix("unix://") {
            let path = String(host.dropFirst("unix://".count))
            guard path.hasPrefix("/") else { throw .invalidArgument("invalid host \(host): the socket path must be absolute") }
            guard path.utf8.count < 108 else { throw .invalidArgument("invalid host \(host): the socket path is too long") }
            return [.unix(path: path, mode: 0o660)]
        }
        if host.hasPrefix("tcp://") {
            let rest = host.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port)
            else { throw .invalidArgument("invalid host \(host): use tcp://HOST:PORT") }
            let name = rest[..<colon].trimmingCharacters(in: ["[", "]"])
            return [.tcp(host: name.isEmpty ? "127.0.0.1" : name, port: port)]
        }
        if host == "fd://" {
            guard !inherited.isEmpty else { throw .invalidArgument("no sockets found via socket activation: make sure the service was started by systemd") }
            return inherited.map { .fd($0) }
        }
        if host.hasPrefix("fd://"), let fd = Int32(host.dropFirst("fd://".count)) {
            guard inherited.contains(fd) else { throw .invalidArgument("too few socket activated files passed in by systemd for \(host)") }
            return [.fd(fd)]
        }
        throw .invalidArgument("invalid host \(host): use unix://, tcp:// or fd://")
    }
}
