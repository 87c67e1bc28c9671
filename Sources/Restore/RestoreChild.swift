import Messages
import Supervision

/// The transient `restore` child: runs once at boot, after every subsystem it needs is ready, brings
/// back what should run again (containers with restart policies, live-restored tasks), then completes.
/// Until the Containers issue there is nothing to restore; it reports what it found and completes.
public struct RestoreChild: SupervisedChild {
    private let subsystems: Subsystems

    public init(subsystems: Subsystems) { self.subsystems = subsystems }

    public func run(_ context: ChildContext) async throws {
        let counts = try await subsystems.containers.ask { try await $0.counts() }
        context.report(["containersFound": "\(counts.total)", "containersRestarted": "0"])
        context.logger.info("restored state", metadata: ["containers": "\(counts.total)"])
    }
}
