#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import Synchronization

/// The API's listening sockets, bound once for the life of the process so that they outlive the HTTP
/// servers that accept on them: while one server is gone and the next not yet started (the `api` child
/// restarting), clients wait in the kernel's accept backlog instead of finding no socket.
///
/// Each address becomes an inherited-style descriptor (``descriptors``, `.fd` addresses) that an
/// ``HTTPServer`` accepts on through a duplicate of its own, so closing a server leaves the socket open.
/// Sockets inherited from systemd pass through as they are. ``close()`` closes what was bound here and
/// removes the unix socket files (when they are still the ones bound here).
public final class ListeningSockets: Sendable {
    /// One `.fd` address per listening socket, in the order of the addresses given.
    public let descriptors: [ListenAddress]
    private let bound: Mutex<[Int32]>
    private let socketFiles: [UnixSocketFile]

    private init(descriptors: [ListenAddress], bound: [Int32], socketFiles: [UnixSocketFile]) {
        self.descriptors = descriptors
        self.bound = Mutex(bound)
        self.socketFiles = socketFiles
    }

    /// Binds and listens on every unix and tcp address. A unix socket replaces a stale socket file (never
    /// a file of another type) and gets the requested mode and `socketGroup`. On failure what was bound
    /// is closed again and an ``HTTPServerError`` (`bindFailed`) is thrown.
    public static func bind(_ addresses: [ListenAddress], socketGroup: UInt32?) throws -> ListeningSockets {
        var descriptors: [ListenAddress] = []
        var bound: [Int32] = []
        var socketFiles: [UnixSocketFile] = []
        do {
            for address in addresses {
                switch address {
                case .fd:
                    descriptors.append(address)
                case .tcp(let host, let port):
                    let descriptor = try Self.openListening(on: try SocketAddress.makeAddressResolvingHost(host, port: port), address)
                    bound.append(descriptor)
                    descriptors.append(.fd(descriptor))
                case .unix(let path, let mode):
                    try Self.removeStaleSocket(at: path)
                    let descriptor = try Self.openListening(on: try SocketAddress(unixDomainSocketPath: path), address)
                    bound.append(descriptor)
                    socketFiles.append(try UnixSocketFile(boundAt: path, mode: mode, group: socketGroup))
                    descriptors.append(.fd(descriptor))
                }
            }
        } catch {
            bound.forEach { closeSocket($0) }
            socketFiles.forEach { $0.remove() }
            if let error = error as? HTTPServerError { throw error }
            throw HTTPServerError(code: .bindFailed, message: "bind \(addresses.map(\.description))", cause: error)
        }
        return ListeningSockets(descriptors: descriptors, bound: bound, socketFiles: socketFiles)
    }

    /// Closes the sockets bound here and removes their socket files; later calls do nothing.
    public func close() {
        let bound = self.bound.withLock { bound in
            defer { bound = [] }
            return bound
        }
        guard !bound.isEmpty else { return }
        bound.forEach { closeSocket($0) }
        self.socketFiles.forEach { $0.remove() }
    }

    /// A new close-on-exec stream socket bound to `socketAddress` and listening.
    private static func openListening(on socketAddress: SocketAddress, _ address: ListenAddress) throws -> Int32 {
        let descriptor = socket(Int32(socketAddress.protocol.rawValue), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw HTTPServerError(code: .bindFailed, message: "socket for \(address): \(HTTPListener.lastError())")
        }
        var one: Int32 = 1
        let bound = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
            && socketAddress.withSockAddr { bindSocket(descriptor, $0, socklen_t($1)) } == 0
            && listen(descriptor, 256) == 0
        guard bound else {
            let message = "bind \(address): \(HTTPListener.lastError())"
            closeSocket(descriptor)
            throw HTTPServerError(code: .bindFailed, message: message)
        }
        return descriptor
    }

    /// Removes a socket file left at `path` by an earlier process; any other kind of file is an error.
    private static func removeStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK, unlink(path) == 0 else {
            throw HTTPServerError(code: .bindFailed, message: "bind unix://\(path): the path exists and is not a removable socket")
        }
    }
}

/// close(2), out of reach of the `close()` methods of ``ListeningSockets`` and ``HTTPListener``.
func closeSocket(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// bind(2), out of reach of ``ListeningSockets/bind(_:socketGroup:)``'s name.
private func bindSocket(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(descriptor, address, length)
}
