import Supervision

extension ChildSpec {
    /// The spec of berthd's child `name`, declaring the siblings of `Siblings` (`requires`, `calls`) and
    /// handing each incarnation's factory those references alone. A tuning left `nil` keeps
    /// `ChildSpec`'s default.
    public init<Siblings: SiblingSet>(
        _ name: ChildName, siblings: Siblings.Type, restart: RestartType? = nil, shutdownBudget: Duration? = nil,
        startTimeout: Duration? = nil, factory: @escaping @Sendable (ChildContext, Siblings) async throws -> any SupervisedChild
    ) {
        self.init(name: name.rawValue, requires: Siblings.requires.map(\.rawValue), calls: Siblings.calls.map(\.rawValue)) { context in
            try await factory(context, try Siblings.declared(by: context))
        }
        if let restart { self.restart = restart }
        if let shutdownBudget { self.shutdownBudget = shutdownBudget }
        if let startTimeout { self.startTimeout = startTimeout }
    }
}
