import Synchronization

/// How long a request sent through a `ChildRef` may take, by name.
///
/// A deadline travels with the request: while a child serves it, every request that child sends on
/// is bounded by what is left of it (``RequestScope``), so a nested request never outlives its caller.
/// A deadline that `outlivesCaller` is the exception: it belongs to work the child owns beyond the
/// request that started it (waiting for a process to exit, say), which its caller's deadline must not
/// cut short.
///
/// The names of the daemon's deadlines live beside its messages (module `Messages`); `supervision.md`
/// lists them.
public struct RequestDeadline: Sendable, Hashable, CustomStringConvertible {
    /// What the deadline is for, as log lines and error messages name it.
    public let name: String
    /// How long the request may take, counted from when it is sent.
    public let budget: Duration
    /// Whether the caller's deadline leaves this one alone.
    public let outlivesCaller: Bool

    public init(_ name: String, _ budget: Duration, outlivesCaller: Bool = false) {
        self.name = name
        self.budget = budget
        self.outlivesCaller = outlivesCaller
    }

    public var description: String { "\(name) (\(budget.seconds) s)" }
}

/// The deadline of the request a task is serving, on the tree's clock.
///
/// `ChildRef.ask` opens one for each request and hands it, as a task-local value, to the task that
/// runs the request; tasks that work starts inherit it. It closes when its request has been answered,
/// so a task that outlives the request (a monitor started by a `start`) is bounded by it no more.
public final class RequestScope: Sendable {
    @TaskLocal public static var current: RequestScope?

    /// When the request must be answered: `clock.now` plus what is left.
    public let until: Duration
    /// The name of the deadline that set `until` (the caller's, when it was the tighter one).
    public let name: String
    private let open = Atomic<Bool>(true)

    /// The scope of a request sent now with `deadline`, inside the request being served, if any.
    init(_ deadline: RequestDeadline, now: Duration) {
        let own = now + deadline.budget
        if !deadline.outlivesCaller, let caller = RequestScope.current?.bound, caller.until < own {
            (until, name) = caller
        } else {
            (until, name) = (own, deadline.name)
        }
    }

    /// `until` and `name` while the request is still being served.
    var bound: (until: Duration, name: String)? { open.load(ordering: .acquiring) ? (until, name) : nil }

    /// Marks the request answered.
    func close() { open.store(false, ordering: .releasing) }

    /// What is left of the deadline at `now` (never negative).
    public func remaining(at now: Duration) -> Duration { max(until - now, .zero) }
}
