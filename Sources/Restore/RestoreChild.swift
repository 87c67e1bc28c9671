import Messages
import Supervision

/// The transient `restore` child: runs once at boot, after every subsystem it needs is ready, brings
/// back what should run again (containers with restart policies, live-restored tasks) after releasing
/// the network sandboxes and volume mounts of containers that stopped while berthd was down, then
/// completes.
public struct RestoreChild: SupervisedChild {
    private let subsystems: RestoreSiblings

    public init(subsystems: RestoreSiblings) { self.subsystems = subsystems }

    public func run(_ context: ChildContext) async throws {
        let counts = try await subsystems.containers.ask { try await $0.counts() }
        let running = try await subsystems.containers.ask { try await $0.runningIDs() }
        let released = try await subsystems.network.ask(deadline: .boot) { try await $0.releaseSandboxes(keeping: running) }
        _ = try await subsystems.volumes.ask(deadline: .boot) { try await $0.releaseMounts(keeping: running) }
        let restarted = try await subsystems.containers.ask(deadline: .boot) { try await $0.restoreAtBoot() }
        context.report(["containersFound": "\(counts.total)", "containersRestarted": "\(restarted)", "sandboxesReleased": "\(released)"])
        context.logger.info("restored state", metadata: ["containers": "\(counts.total)", "restarted": "\(restarted)"])
    }
}
