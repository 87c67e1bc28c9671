import Foundation
import Messages

extension ContainersChild {
    /// When the restart policy brings a container back after an exit the user did not ask for, how long
    /// to wait first: `always` and `unless-stopped` restart unless the user stopped the container,
    /// `on-failure[:N]` restarts after a non-zero exit up to N times. The delay doubles from 100 ms with
    /// every restart in a row (at most a minute) and starts over after a run of 10 seconds or more.
    /// `nil`: the container stays exited.
    func restartDelay(_ record: ContainerRecord, exitCode: Int, finishedAtNano: Int64) -> Duration? {
        guard !record.stoppedByUser, record.hostConfig.AutoRemove != true else { return nil }
        let policy = record.hostConfig.RestartPolicy ?? RestartPolicy()
        switch policy.Name ?? "no" {
        case "always", "unless-stopped": break
        case "on-failure":
            guard exitCode != 0 else { return nil }
            if let limit = policy.MaximumRetryCount, limit > 0, record.restartCount >= limit { return nil }
        default: return nil
        }
        let ranFor = finishedAtNano - record.state.startedAtNano
        let streak = ranFor >= 10_000_000_000 ? 0 : record.restartCount
        return .milliseconds(min(100 << min(streak, 10), 60_000))
    }

    /// Starts the container again after `delay`, unless a user acts on it first.
    func scheduleRestart(_ id: String, after delay: Duration) {
        entries[id, default: ContainerEntry()].pendingRestart = Task {
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self.restartAfterExit(id)
        }
    }

    private func restartAfterExit(_ id: String) async {
        entries[id]?.pendingRestart = nil
        do {
            try await serialized(id) {
                guard records[id]?.state.status == .restarting else { return }
                try await startLocked(id)
            }
        } catch {
            logger?.warning("restart failed", metadata: ["container": "\(id)", "error": "\(error)"])
        }
    }

    /// Drops a restart waiting for its delay (the user stopped, restarted or removed the container).
    func cancelPendingRestart(_ id: String) {
        entries[id]?.pendingRestart?.cancel()
        entries[id]?.pendingRestart = nil
        if records[id]?.state.status == .restarting { try? update(id) { $0.state.status = .exited } }
    }
}
