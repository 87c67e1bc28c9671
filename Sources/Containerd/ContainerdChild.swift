import ContainerdAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Messages
import SwiftProtobuf
import Supervision

/// The `containerd` child: berthd's connection to containerd, and — unless `--containerd` names an
/// existing one — the containerd process itself.
///
/// One incarnation = one containerd process (when managed) + one gRPC client. When the process exits
/// or stops answering health checks, the incarnation fails and the supervisor starts a new one after
/// its backoff: a new process and a new connection. Requests meanwhile get a quick 503.
public actor ContainerdChild: SupervisedChild, ContainerdService {
    /// The containerd namespace berthd keeps its objects in.
    public static let namespace = "berth"

    private let externalAddress: String?
    private let layout: ContainerdLayout
    private let binary: String
    private let healthInterval: Duration
    private var versions: RuntimeVersions?

    /// - Parameter address: an existing containerd's socket; empty to start our own.
    public init(dataRoot: String, execRoot: String, address: String, binary: String = "/usr/bin/containerd", healthInterval: Duration = .seconds(2)) {
        externalAddress = address.isEmpty ? nil : address.replacingOccurrences(of: "unix://", with: "")
        layout = ContainerdLayout(dataRoot: dataRoot, execRoot: execRoot)
        self.binary = binary
        self.healthInterval = healthInterval
    }

    public func run(_ context: ChildContext) async throws {
        let socket = externalAddress ?? layout.socket
        let process = externalAddress == nil ? try await ContainerdProcess.start(layout, binary: binary, logger: context.logger) : nil
        do {
            try await Self.waitUntilServing(socket, process: process, clock: context.clock)
            let client = GRPCClient(
                transport: try HTTP2ClientTransport.Posix(target: .unixDomainSocket(path: socket), transportSecurity: .plaintext))
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await client.runConnections() }
                let version = try await Self.version(of: client)
                let runc = RuncVersion.read()
                versions = RuntimeVersions(
                    containerdVersion: version.version, containerdRevision: version.revision, runcVersion: runc.version,
                    runcCommit: runc.commit, containerdAddress: socket)
                context.report(["address": socket, "pid": process.map { "\($0.pid)" } ?? "", "version": version.version])
                context.ready()
                if let process { group.addTask { try await process.failWhenExited() } }
                group.addTask { try await Self.checkHealth(of: client, every: self.healthInterval, clock: context.clock) }
                group.addTask {
                    await context.untilStopped()
                    client.beginGracefulShutdown()
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

    /// Waits until the socket accepts connections (up to 10 s), or the process exits.
    private static func waitUntilServing(_ socket: String, process: ContainerdProcess?, clock: any SupervisionClock) async throws {
        for _ in 0..<500 {
            if UnixSocketProbe.accepts(socket) { return }
            if let process, process.hasExited { throw ContainerdError.cannotStart("it exited at once; see its log") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ContainerdError.notServing(socket)
    }

    private static func version(of client: GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Containerd_Services_Version_V1_VersionResponse {
        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        return try await Containerd_Services_Version_V1_Version.Client(wrapping: client).version(Google_Protobuf_Empty(), options: options)
    }

    /// Fails after three health checks in a row went unanswered.
    private static func checkHealth(of client: GRPCClient<HTTP2ClientTransport.Posix>, every interval: Duration, clock: any SupervisionClock) async throws {
        var misses = 0
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: interval)) != nil else { return }
            do {
                _ = try await version(of: client)
                misses = 0
            } catch {
                misses += 1
                if misses >= 3 { throw ContainerdError.unhealthy(String(describing: error)) }
            }
        }
    }
}
