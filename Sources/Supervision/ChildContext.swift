import Logging

/// What a child's incarnation is given by its supervisor.
public struct ChildContext: Sendable {
    /// The child's name in the tree.
    public let name: String
    /// 1 for the first start, then one more for every restart.
    public let incarnation: Int
    public let logger: Logger
    public let clock: any SupervisionClock
    let cell: ChildCell
    let readiness: OneShot<Void>
    let owner: WeakSupervisor

    /// The supervisor of this child, for introspection (`snapshot()`) and fault injection; `nil` once it
    /// is gone.
    public var supervisor: Supervisor? { owner.value }

    /// Declares the child ready: the supervisor starts the next child and requests start to flow.
    public func ready() { readiness.fulfill(()) }

    /// Publishes facts about this incarnation (a process id, an address) in `/debug/supervision`.
    public func report(_ info: [String: String]) {
        cell.update { $0.info = info }
    }

    /// A reference to a sibling, valid across its restarts.
    public func ref<Service>(to child: String, as type: Service.Type = Service.self) -> ChildRef<Service> {
        guard let supervisor = owner.value else {
            return ChildRef(child: child, cell: nil, clock: clock, faults: FaultInjector(), defaultTimeout: .zero, restartWait: .zero, observer: nil)
        }
        return supervisor.ref(to: child, as: type)
    }

    /// Suspends until the incarnation is cancelled (stopped), then returns normally.
    public func untilStopped() async {
        _ = await OneShot<Void>().wait()
    }
}

/// A weak link from a child back to its supervisor, so that the tree does not keep itself alive.
final class WeakSupervisor: Sendable {
    weak let value: Supervisor?
    init(_ value: Supervisor) { self.value = value }
}
