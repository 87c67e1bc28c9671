#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The async channel of one accepted HTTP connection.
typealias HTTPServerChannel = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

/// An accepted connection: served, or refused because ``ConnectionLimits/maxConnections`` are open.
enum AcceptedConnection: Sendable {
    case serve(PendingConnection)
    case refused
}

/// One bound listening socket: binds a ``ListenAddress``, accepts connections and hands each to an
/// ``HTTPConnection``, and undoes what binding did (closing, removing the unix socket file).
struct HTTPListener: Sendable {
    /// The address as bound: a tcp port 0 is replaced by the real port.
    let address: ListenAddress
    private let channel: NIOAsyncChannel<AcceptedConnection, Never>
    private let socketFile: UnixSocketFile?

    /// Binds `address`. A unix socket replaces a stale socket file (never a file of another type) and gets
    /// the requested mode and the context's socket group; an inherited descriptor is put in the listening
    /// state if it is not yet, and accepted on through a duplicate (it stays open when this listener closes). Connections to a tcp address, or to an inherited tcp socket, use the
    /// context's TLS when it has one.
    static func bind(
        _ address: ListenAddress,
        group: MultiThreadedEventLoopGroup,
        context: HTTPConnection.Context
    ) async throws -> HTTPListener {
        let tls = address.isTCP ? context.tls : nil
        let initialize: @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> = { channel in
            Self.initialize(channel, tls: tls, context: context)
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        do {
            switch address {
            case .tcp(let host, let port):
                let channel = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initialize)
                let bound = channel.channel.localAddress.flatMap { local in
                    local.port.map { ListenAddress.tcp(host: local.ipAddress ?? host, port: $0) }
                }
                return HTTPListener(address: bound ?? address, channel: channel, socketFile: nil)

            case .unix(let path, let mode):
                let channel = try await bootstrap.bind(
                    unixDomainSocketPath: path,
                    cleanupExistingSocketFile: true,
                    childChannelInitializer: initialize
                )
                do {
                    let socketFile = try UnixSocketFile(boundAt: path, mode: mode, group: context.socketGroup)
                    return HTTPListener(address: address, channel: channel, socketFile: socketFile)
                } catch {
                    try? await channel.channel.close()
                    throw error
                }

            case .fd(let descriptor):
                // systemd, or ``ListeningSockets``, hands over listening sockets; listen(2) again is harmless
                // and covers a socket that was only bound. NIO owns and closes the duplicate it accepts on:
                // the socket itself stays open for the next server.
                guard listen(descriptor, 256) == 0 else {
                    throw HTTPServerError(code: .bindFailed, message: "listen on fd \(descriptor): \(Self.lastError())")
                }
                let duplicate = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
                guard duplicate >= 0 else {
                    throw HTTPServerError(code: .bindFailed, message: "dup fd \(descriptor): \(Self.lastError())")
                }
                do {
                    let channel = try await bootstrap.bind(duplicate, childChannelInitializer: initialize)
                    return HTTPListener(address: address, channel: channel, socketFile: nil)
                } catch {
                    closeSocket(duplicate)
                    throw error
                }
            }
        } catch let error as HTTPServerError {
            throw error
        } catch {
            throw HTTPServerError(code: .bindFailed, message: "bind \(address)", cause: error)
        }
    }

    /// Sets up an accepted connection: the HTTP/1.1 handlers (see ``HTTPPipeline``) under its async channel;
    /// or, with ``ConnectionLimits/maxConnections`` open already, a `503` and the end of the connection.
    private static func initialize(_ channel: any Channel, tls: ServerTLS?, context: HTTPConnection.Context) -> EventLoopFuture<AcceptedConnection> {
        guard context.registry.admit(channel, limit: context.limits.maxConnections) else {
            context.logger.warning("refuse connection: too many open", metadata: ["limit": "\(context.limits.maxConnections)"])
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ConnectionRefusal())
                return .refused
            }
        }
        return channel.eventLoop.makeCompletedFuture {
            let timer = ConnectionTimer(limits: context.limits)
            let immediate = ImmediateResponseHandler(responder: context.responder, registry: context.registry, timer: timer)
            try HTTPPipeline.configure(channel, tls: tls, timer: timer, immediate: immediate)
            return .serve(PendingConnection(try HTTPServerChannel(wrappingChannelSynchronously: channel)))
        }
    }

    /// Accepts connections until the listening socket is closed, serving each in a child task; returns once
    /// every connection it accepted has ended.
    func acceptConnections(context: HTTPConnection.Context) async {
        await withDiscardingTaskGroup { connections in
            do {
                try await self.channel.executeThenClose { inbound in
                    for try await case .serve(let pending) in inbound {
                        guard let connection = pending.take() else { continue }
                        connections.addTask {
                            await HTTPConnection(channel: connection, context: context).run()
                        }
                    }
                }
            } catch is CancellationError {
                // The shutdown's drain time ran out. Connections accepted but not yet taken are closed by
                // their `PendingConnection`.
            } catch {
                context.logger.error(
                    "stop accepting connections after error",
                    metadata: ["address": "\(self.address)", "error": "\(error)"]
                )
            }
        }
    }

    /// Closes the listening socket: no new connection is accepted (the accepted ones go on).
    func close() async {
        try? await self.channel.channel.close()
    }

    /// Removes the unix socket file, unless another process has replaced it since. NIO already unlinks
    /// the file of a socket it bound when closing it; this covers a close that failed half-way.
    func removeSocketFile() {
        self.socketFile?.remove()
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// A unix socket file this server created, identified by device and inode so that shutdown never removes
/// a file another server has since bound at the same path.
struct UnixSocketFile: Sendable {
    let path: String
    private let device: UInt64
    private let inode: UInt64

    /// Records the socket just bound at `path` and sets its permission bits to `mode` and, when given, its
    /// group to `group` (the owner stays the process's user).
    init(boundAt path: String, mode: UInt32, group: UInt32?) throws {
        if let group, chown(path, uid_t.max, gid_t(group)) != 0 {
            throw HTTPServerError(code: .bindFailed, message: "chown \(path): \(HTTPListener.lastError())")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw HTTPServerError(code: .bindFailed, message: "chmod \(path): \(HTTPListener.lastError())")
        }
        guard let identity = Self.identity(of: path) else {
            throw HTTPServerError(code: .bindFailed, message: "stat \(path): \(HTTPListener.lastError())")
        }
        self.path = path
        (self.device, self.inode) = identity
    }

    /// Removes the file if it is still the socket this server bound.
    func remove() {
        guard let identity = Self.identity(of: self.path), identity == (self.device, self.inode) else { return }
        unlink(self.path)
    }

    private static func identity(of path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
