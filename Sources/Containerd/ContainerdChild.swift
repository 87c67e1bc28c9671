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
/// One incarnation = one gRPC client to one containerd process. At its start the incarnation adopts the
/// containerd an earlier berthd or incarnation left running on its roots, and starts one only when none
/// of ours answers (``ContainerdAdoption``). The process outlives the incarnation: a crash or failure of
/// this child leaves it to the next incarnation; only berthd's own stop without live-restore stops it.
/// When the process exits or stops answering health checks, the incarnation fails and the supervisor
/// starts a new one after its backoff. Requests meanwhile get a quick 503, and a request that reaches the
/// actor while no incarnation is connected fails with `EngineError.unavailable`.
///
/// The requests themselves (content, leases, image records, snapshots) live in the `ContainerdChild+…`
/// files; every one of them works in containerd's `berth` namespace.
public actor ContainerdChild: SupervisedChild, ContainerdService {
    /// The containerd namespace berthd keeps its objects in.
    public static let namespace = "berth"

    private let externalAddress: String?
    let layout: ContainerdLayout
    let binary: String
    private let healthInterval: Duration
    let liveRestore: @Sendable () -> Bool
    /// containerd's version and address, known once connected.
    private var versions: RuntimeVersions?
    /// runc's version, read at the first request for it rather than during berthd's start.
    private var runcVersion: Task<RuncVersion, Never>?
    /// The gRPC client of the running incarnation: set just before it declares itself ready, cleared
    /// as soon as it stops or fails.
    private(set) var connection: ContainerdConnection?

    /// - Parameters:
    ///   - address: an existing containerd's socket; empty to start our own.
    ///   - liveRestore: whether berthd, when it stops, leaves its containerd running (read at the stop).
    public init(
        dataRoot: String, execRoot: String, address: String, binary: String = "/usr/bin/containerd", healthInterval: Duration = .seconds(2),
        liveRestore: @escaping @Sendable () -> Bool = { false }
    ) {
        externalAddress = address.isEmpty ? nil : address.replacingOccurrences(of: "unix://", with: "")
        layout = ContainerdLayout(dataRoot: dataRoot, execRoot: execRoot)
        self.binary = binary
        self.healthInterval = healthInterval
        self.liveRestore = liveRestore
    }

    public func run(_ context: ChildContext) async throws {
        guard externalAddress == nil else {
            try await serve(externalAddress ?? layout.socket, process: nil, context)
            return
        }
        let (process, adopted) = try await adoptOrStart(logger: context.logger)
        do {
            try await serve(layout.socket, process: process, adopted: adopted, context)
        } catch {
            await release(process, context)
            throw error
        }
        await release(process, context)
    }

    /// Connects to the containerd on `socket` and serves until stopped, or until the process exits or
    /// stops answering.
    private func serve(_ socket: String, process: ContainerdProcess?, adopted: Bool = false, _ context: ChildContext) async throws {
        try await Self.waitUntilServing(socket, process: process)
        let connection = try ContainerdConnection(socket: socket, namespace: Self.namespace)
        defer { self.connection = nil }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await connection.client.runConnections() }
            // A containerd that has just started may take long to answer on a loaded machine: the start timeout bounds it.
            let version = try await Self.version(of: connection, timeout: .seconds(60))
            versions = RuntimeVersions(
                containerdVersion: version.version, containerdRevision: version.revision, runcVersion: "", runcCommit: "", containerdAddress: socket)
            self.connection = connection
            context.report([
                "address": socket, "pid": process.map { "\($0.pid)" } ?? "", "version": version.version,
                "adopted": process == nil ? "" : "\(adopted)",
            ])
            context.ready()
            if let process { group.addTask { try await process.failWhenExited() } }
            group.addTask { try await Self.checkHealth(of: connection, every: self.healthInterval, clock: context.clock) }
            group.addTask {
                await context.untilStopped()
                await self.disconnect()
                connection.client.beginGracefulShutdown()
            }
        }
    }

    public func runtimeVersions() async throws -> RuntimeVersions {
        guard var versions else { throw EngineError.unavailable("containerd is not connected yet") }
        let reading = runcVersion ?? Task { await RuncVersion.read() }
        runcVersion = reading
        let runc = await reading.value
        versions.runcVersion = runc.version
        versions.runcCommit = runc.commit
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

    /// containerd's `Version`, within `timeout`. The call's own deadline does not cover a connection that
    /// never becomes ready (a stopped containerd still accepts on its socket), and such a call may not end
    /// at once when cancelled: a timer races it, and the caller does not wait for the call's end.
    static func version(of connection: ContainerdConnection, timeout: Duration = .seconds(5)) async throws -> Containerd_Services_Version_V1_VersionResponse {
        let answer = OneShot<Result<Containerd_Services_Version_V1_VersionResponse, any Error>>()
        let call = Task {
            var options = ContainerdConnection.unary
            options.timeout = timeout
            do {
                answer.fulfill(.success(try await connection.version.version(Google_Protobuf_Empty(), options: options)))
            } catch {
                answer.fulfill(.failure(error))
            }
        }
        let timer = Task {
            if (try? await Task.sleep(for: timeout)) != nil { answer.fulfill(.failure(ContainerdError.unhealthy("no answer to Version within \(timeout)"))) }
        }
        defer {
            call.cancel()
            timer.cancel()
        }
        guard let result = await answer.wait() else { throw CancellationError() }
        return try result.get()
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
