/// When a child that stopped by itself is started again (OTP's restart types).
public enum RestartType: String, Sendable, Codable, Hashable {
    /// Always restarted, whether it failed or returned.
    case permanent
    /// Restarted only when it failed; returning normally means its work is done ("completed").
    case transient
    /// Never restarted.
    case temporary
}

/// Makes one incarnation of a child. Called again for every restart, so a restarted child starts from
/// what it persisted, never from the memory of the incarnation that failed.
public typealias ChildFactory = @Sendable (ChildContext) async throws -> any SupervisedChild

/// Everything a supervisor needs to know about one child, as data.
public struct ChildSpec: Sendable {
    public var name: String
    /// The siblings the child asks while it starts (before it is ready): each must start before it.
    /// `ChildContracts` checks this when the tree starts.
    public var requires: [String]
    /// The further siblings the child asks once it is running: any other child of the tree.
    public var calls: [String]
    public var restart: RestartType
    /// How long a stop may take before the child is reported as stuck.
    public var shutdownBudget: Duration
    /// How long a start may take before the child must have declared itself ready.
    public var startTimeout: Duration
    public var backoff: Backoff
    public var intensity: RestartIntensity
    /// The default timeout of a request sent to the child through a `ChildRef`.
    public var requestTimeout: Duration
    public var factory: ChildFactory

    public init(
        name: String, requires: [String] = [], calls: [String] = [], restart: RestartType = .permanent,
        shutdownBudget: Duration = .seconds(5), startTimeout: Duration = .seconds(15), backoff: Backoff = Backoff(),
        intensity: RestartIntensity = RestartIntensity(), requestTimeout: Duration = .seconds(30),
        factory: @escaping ChildFactory
    ) {
        self.name = name
        self.requires = requires
        self.calls = calls
        self.restart = restart
        self.shutdownBudget = shutdownBudget
        self.startTimeout = startTimeout
        self.backoff = backoff
        self.intensity = intensity
        self.requestTimeout = requestTimeout
        self.factory = factory
    }
}

/// One child of a supervision tree: usually an actor that owns a subsystem's state.
public protocol SupervisedChild: Sendable {
    /// Runs one incarnation: set up, call `context.ready()`, then serve until the task is cancelled.
    ///
    /// Throwing is a failure (the supervisor restarts the child per its spec); returning is a normal
    /// exit. Cancellation is how the supervisor stops the child: clean up and return within the budget.
    func run(_ context: ChildContext) async throws
}

/// A child that only answers requests: everything it needs is set up by its factory, so it is ready as
/// soon as it runs, and it serves until it is stopped.
public protocol ServingChild: SupervisedChild {}

extension ServingChild {
    public func run(_ context: ChildContext) async throws {
        context.ready()
        await context.untilStopped()
    }
}
