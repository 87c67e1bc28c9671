import Foundation
import Messages

/// Holds a host port for a published container port: a socket bound to the host address and port
/// (never listening; connections are forwarded by the `portmap` rules before they could reach it).
/// Binding is how a port already taken on the host is refused and how an ephemeral port is chosen.
struct PortReservation: Sendable {
    let port: PublishedPort
    private let descriptor: Int32

    /// Binds the first free port of `request.hostPort` ("" for an ephemeral one, `8080`, or a range
    /// `8000-8010`).
    static func reserve(_ request: PortRequest) throws -> PortReservation {
        let hostIP = request.hostIP.isEmpty ? "0.0.0.0" : request.hostIP
        guard let address = IPv4Address(hostIP) else {
            throw EngineError.invalidArgument("invalid host IP \(request.hostIP) for port \(request.containerPort)/\(request.proto): only IPv4 is supported")
        }
        guard let candidates = request.hostPorts else { throw EngineError.invalidArgument("invalid host port: \(request.hostPort)") }
        var lastError: Int32 = 0
        for candidate in candidates {
            switch bind(address, port: candidate, proto: request.proto) {
            case .success(let (descriptor, bound)):
                return PortReservation(
                    port: PublishedPort(hostIP: hostIP, hostPort: bound, containerPort: request.containerPort, proto: request.proto),
                    descriptor: descriptor)
            case .failure(let error):
                lastError = error.code
            }
        }
        let shown = request.hostPort.isEmpty ? "0" : request.hostPort
        if lastError == EADDRINUSE {
            throw EngineError.internal("Bind for \(hostIP):\(shown) failed: port is already allocated")
        }
        throw EngineError.internal("Bind for \(hostIP):\(shown) failed: \(String(cString: strerror(lastError)))")
    }

    /// Binds exactly a port held before (after berthd restarted); nil if it is taken now.
    static func rebind(_ port: PublishedPort) -> PortReservation? {
        guard let address = IPv4Address(port.hostIP), case .success(let (descriptor, _)) = bind(address, port: port.hostPort, proto: port.proto) else {
            return nil
        }
        return PortReservation(port: port, descriptor: descriptor)
    }

    func release() { close(descriptor) }

    private struct BindError: Error { let code: Int32 }

    private static func bind(_ address: IPv4Address, port: Int, proto: String) -> Result<(Int32, Int), BindError> {
        let type = proto == "udp" ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let descriptor = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failure(BindError(code: errno)) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        socketAddress.sin_addr = in_addr(s_addr: address.value.bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                Glibc.bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(descriptor)
            return .failure(BindError(code: code))
        }
        return .success((descriptor, Int(UInt16(bigEndian: socketAddress.sin_port))))
    }
}
