import Synchronization

/// How an incarnation of a child ended.
enum IncarnationOutcome: Sendable, Equatable {
    /// `run` returned by itself.
    case returned
    /// `run` threw, or a crash was injected.
    case failed(String)
    /// The supervisor stopped it.
    case stopped
}

/// One run of a child, from its factory call to the end of its `run`.
final class Incarnation: Sendable {
    let number: Int
    /// Fulfilled when the child declares itself ready.
    let readiness = OneShot<Void>()
    /// Fulfilled when `run` has returned.
    let exited = OneShot<IncarnationOutcome>()
    private let control = Mutex<(task: Task<Void, Never>?, requested: IncarnationOutcome?)>((nil, nil))

    init(number: Int) { self.number = number }

    /// Starts `run` in a task the supervisor owns; `ended` is called after `exited` is fulfilled.
    func launch(_ child: any SupervisedChild, context: ChildContext, ended: @escaping @Sendable (IncarnationOutcome) async -> Void) {
        // An unstructured task on purpose: a child that ignores cancellation must not be able to block its
        // supervisor, which can then report it as stuck and move on.
        let task = Task {
            var outcome: IncarnationOutcome
            do {
                try await child.run(context)
                outcome = .returned
            } catch {
                outcome = .failed(String(describing: error))
            }
            if let requested = self.requested { outcome = requested }
            self.exited.fulfill(outcome)
            await ended(outcome)
        }
        control.withLock { $0.task = task }
    }

    /// The termination the supervisor asked for, if any.
    var requested: IncarnationOutcome? { control.withLock { $0.requested } }

    /// Asks the incarnation to end (by cancelling its task); its outcome will be `outcome`.
    func terminate(as outcome: IncarnationOutcome) {
        let task = control.withLock { state -> Task<Void, Never>? in
            if state.requested == nil { state.requested = outcome }
            return state.task
        }
        task?.cancel()
    }
}
