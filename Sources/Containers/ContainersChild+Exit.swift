import Foundation
import Messages
import Supervision

extension ContainersChild {
    /// Waits for the task's exit in the background; when containerd restarts meanwhile, waits again.
    func watchExit(_ id: String) {
        let containerd = subsystems.containerd
        let monitor = Task {
            var exit: TaskExit?
            while !Task.isCancelled && exit == nil {
                do {
                    exit = try await containerd.ask(deadline: .processExit) { try await $0.waitTask(id, execID: nil) }
                } catch let error as EngineError where error.code == .notFound {
                    exit = TaskExit(status: 255, exitedAtNano: UnixTime.nowNano)
                } catch {
                    self.logger?.debug("waiting for the task failed; waiting again", metadata: ["container": "\(id)", "error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            guard let exit, !Task.isCancelled else { return }
            await self.taskExited(id, exit)
        }
        entries[id]?.run?.monitor = monitor
    }

    /// Everything that follows an exit: the output drains, the task goes, the root is unmounted, the
    /// state says exited, waiters hear of it, and then `--rm` or the restart policy applies.
    func taskExited(_ id: String, _ exit: TaskExit) async {
        guard let run = entries[id]?.run else { return }
        let deleted = await releaseRun(id, .exited)
        let status = deleted?.status ?? exit.status
        let finished = exit.exitedAtNano > 0 ? exit.exitedAtNano : UnixTime.nowNano
        let delay: Duration? = records[id].flatMap { self.restartDelay($0, exitCode: status, finishedAtNano: finished) }
        try? update(id) {
            $0.state.status = delay == nil ? .exited : .restarting
            $0.state.pid = 0
            $0.state.exitCode = status
            $0.state.finishedAtNano = finished
            $0.state.health = nil
            if delay != nil { $0.restartCount += 1 }
        }
        run.exited.fulfill(TaskExit(status: status, exitedAtNano: finished))
        guard let record = records[id] else { return }
        await publish("die", record, ["exitCode": "\(status)"])
        answerWaiters(id, conditions: [.notRunning, .nextExit], status: status)
        if record.hostConfig.AutoRemove == true {
            try? await serialized(id) { try await removeLocked(id, volumes: true) }
        } else if let delay {
            scheduleRestart(id, after: delay)
        }
    }

    /// Answers the waits registered for any of `conditions`.
    func answerWaiters(_ id: String, conditions: Set<WaitCondition>, status: Int, error: String? = nil) {
        let (answered, kept) = (entries[id]?.waiters ?? []).partitioned { conditions.contains($0.condition) }
        entries[id]?.waiters = kept
        for waiter in answered {
            waiter.answer.yield(WaitResult(statusCode: status, error: error))
            waiter.answer.finish()
        }
    }

    public func wait(_ ref: String, condition: WaitCondition) async throws -> PendingWait {
        let record = try resolve(ref)
        let (stream, continuation) = AsyncStream.makeStream(of: WaitResult.self)
        if condition == .notRunning && !record.state.isRunning {
            continuation.yield(WaitResult(statusCode: record.state.exitCode))
            continuation.finish()
        } else {
            entries[record.id, default: ContainerEntry()].waiters.append(Waiter(condition: condition, answer: continuation))
        }
        return PendingWait(stream)
    }
}

extension Array {
    /// The elements that match, and those that do not, each in order.
    func partitioned(_ matches: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = []
        var no: [Element] = []
        for element in self {
            if matches(element) { yes.append(element) } else { no.append(element) }
        }
        return (yes, no)
    }
}
