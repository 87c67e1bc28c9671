import ContainerdAPI
import Foundation
import GRPCCore
import Logging
import Messages
import SwiftProtobuf
import Supervision

/// The `containerd` child: berthd's connection to containerd, and — unless `--containerd` names an
/// existing one — the containerd process itself.
///
/// One incarnation = one containerd process (when managed) + one gRPC client. When the process exits
/// or stops answering health checks, the incarnation fails and the supervisor starts a new one after
/// its backoff: a new process and a new connection. Requests meanwhile get a quick 503, and a request
/// that reaches the actor while no incarnation is connected fails with `EngineError.unavailable`.
///
/// The requests themselves (content, leases, image records, snapshots) live in the `ContainerdChild+…`
/// files; every one of them works in containerd's `berth` namespace.
public actor ContainerdChild: SupervisedChild, ContainerdService {
    /// The containerd namespace berthd keeps its objects in.
    public static let namespace = "berth"

    private let externalAddress: String?
    private let layout: ContainerdLayout
    private let binary: String
    private let healthInterval: Duration
    private var versions: RuntimeVersions?
    /// The gRPC client of the running incarnation: set just before it declares itself ready, cleared
    /// as soon as it stops or fails.
    private(set) var connection: ContainerdConnection?

    /// - Parameter address: an existing containerd's socket; empty to start our own.
    public init(dataRoot: String, execRoot: String, address: String, binary: String = "/usr/bin/containerd", healthInterval: Duration = .seconds(2)) {
        externalAddress = address.isEmpty ? nil : address.replacingOccurrences(of: "unix://", with: "")
        layout = ContainerdLayout(dataRoot: dataRoot, execRoot: execRoot)
        self.binary = binary
        self.healthInterval = healthInterval
    }

    public func run(_ context: ChildContext) async throws {
        let socket = externalAddress ?? layout.socket
        let runcVersion = Task { await RuncVersion.read() }  // while containerd starts
        let process = externalAddress == nil ? try await ContainerdProcess.start(layout, binary: binary, logger: context.logger) : nil
        do {
            try await Self.waitUntilServing(socket, process: process)
            let connection = try ContainerdConnection(socket: socket, namespace: Self.namespace)
            defer { self.connection = nil }
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await connection.client.runConnections() }
                let version = try await Self.version(of: connection)
                let runc = await runcVersion.value
                versions = RuntimeVersions(
                    containerdVersion: version.version, containerdRevision: version.revision, runcVersion: runc.version,
                    runcCommit: runc.commit, containerdAddress: socket)
                self.connection = connection
                context.report(["address": socket, "pid": process.map { "\($0.pid)" } ?? "", "version": version.version])
                context.ready()
                if let process { group.addTask { try await process.failWhenExited() } }
                group.addTask { try await Self.checkHealth(of: connection, every: self.healthInterval, clock: context.clock) }
                group.addTask {
                    await context.untilStopped()
                    await self.disconnect()
                    connection.client.beginGracefulShutdown()
                }
            }
        } catch {
            await process?.stop(grace: .seconds(5))
            throw error
        }
        await process?.stop(grace: .seconds(5))
    }

    public func runtimeVersions() async throws -> RuntimeVersions {
        guard let versions else { throw EngineError.unavailable("containerd is not connected yet") }
        return versions
    }

    /// Waits until the socket accepts connections (up to 10 s), or the process exits. A probe is one
    /// `connect(2)`, so it polls every millisecond: containerd's boot is most of berthd's start.
    private static func waitUntilServing(_ socket: String, process: ContainerdProcess?) async throws {
        for _ in 0..<10_000 {
            if UnixSocketProbe.accepts(socket) { return }
            if let process, process.hasExited { throw ContainerdError.cannotStart("it exited at once; see its log") }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw ContainerdError.notServing(socket)
    }

    /// Stops handing the connection to new requests (the ones in flight finish).
    private func disconnect() {
        connection = nil
    }

    private static func version(of connection: ContainerdConnection) async throws -> Containerd_Services_Version_V1_VersionResponse {
        var options = ContainerdConnection.unary
        options.timeout = .seconds(5)
        return try await connection.version.version(Google_Protobuf_Empty(), options: options)
    }

    /// Fails after three health checks in a row went unanswered.
    private static func checkHealth(of connection: ContainerdConnection, every interval: Duration, clock: any SupervisionClock) async throws {
        var misses = 0
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: interval)) != nil else { return }
            do {
                _ = try await version(of: connection)
                misses = 0
            } catch {
                misses += 1
                if misses >= 3 { throw ContainerdError.unhealthy(String(describing: error)) }
            }
        }
    }
}
