/// The rules a tree's declared siblings (`ChildSpec.requires`, `ChildSpec.calls`) follow. A supervisor
/// checks them when it starts, before any child, and refuses a tree that breaks one, as OTP checks its
/// child specs and containerd the `Requires` of its plugins:
/// - a child names only children of the tree, never itself, and each sibling once;
/// - a boot requirement (`requires`) starts earlier than the child: while a child starts, only the
///   children before it are ready to answer;
/// - a run-time call (`calls`) may go to any other child, earlier or later.
public enum ChildContracts {
    /// Throws at the first rule that `specs`, in start order, break.
    public static func check(_ specs: [ChildSpec]) throws(ChildContractError) {
        let positions = Dictionary(specs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (position, spec) in specs.enumerated() {
            var declared: Set<String> = []
            let siblings = spec.requires.map { (name: $0, atBoot: true) } + spec.calls.map { (name: $0, atBoot: false) }
            for sibling in siblings {
                func broken(_ rule: ChildContractError.Rule) -> ChildContractError {
                    ChildContractError(child: spec.name, sibling: sibling.name, rule: rule)
                }
                guard sibling.name != spec.name else { throw broken(.selfReference) }
                guard let siblingPosition = positions[sibling.name] else { throw broken(.unknownSibling) }
                guard declared.insert(sibling.name).inserted else { throw broken(.declaredTwice) }
                guard !sibling.atBoot || siblingPosition < position else { throw broken(.requiresLaterChild) }
            }
        }
    }
}

/// A child spec whose declared siblings break one of the rules of `ChildContracts`.
public struct ChildContractError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Rule: String, Sendable {
        /// The sibling is not a child of the tree.
        case unknownSibling
        /// The child names itself.
        case selfReference
        /// The sibling is named twice (in `requires`, in `calls`, or in both).
        case declaredTwice
        /// A boot requirement starts after the child.
        case requiresLaterChild
    }

    public var child: String
    public var sibling: String
    public var rule: Rule

    public init(child: String, sibling: String, rule: Rule) {
        self.child = child
        self.sibling = sibling
        self.rule = rule
    }

    public var description: String {
        let problem =
            switch rule {
            case .unknownSibling: "declares \(sibling), which is not a child of the tree"
            case .selfReference: "declares itself as its own sibling"
            case .declaredTwice: "declares \(sibling) more than once"
            case .requiresLaterChild: "requires \(sibling) at boot, but \(sibling) starts after it (a boot requirement must be an earlier child)"
            }
        return "invalid child spec: \(child) \(problem)"
    }
}
