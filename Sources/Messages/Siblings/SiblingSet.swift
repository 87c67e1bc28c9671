import Supervision

/// The typed references one child of berthd's tree is handed to its siblings, and the declaration of
/// whom it asks: a set has a field for each declared sibling and no other, so a child cannot ask a
/// sibling it did not declare (the compiler says so). The supervisor checks the declarations
/// (`ChildContracts`) and shows them in `/debug/supervision`.
public protocol SiblingSet: Sendable {
    /// The siblings the child asks while it starts, before it is ready: each starts before it.
    static var requires: [ChildName] { get }
    /// The further siblings it asks once running (any other child, even one that starts after it).
    static var calls: [ChildName] { get }
    /// Takes a reference to each declared sibling from `refs`.
    init(_ refs: some ChildRefProvider)
}

extension ChildRefProvider {
    /// A reference to the child `name`, typed by the field it is stored in.
    public func ref<Service>(to name: ChildName, as type: Service.Type = Service.self) -> ChildRef<Service> {
        ref(to: name.rawValue, as: type)
    }
}

extension SiblingSet {
    /// The set for an incarnation, once it is checked to reference exactly the siblings it declares.
    public static func declared(by refs: some ChildRefProvider) throws(SiblingSetMismatch) -> Self {
        let recorder = RecordingRefProvider(refs)
        let siblings = Self(recorder)
        let declared = Set((requires + calls).map(\.rawValue))
        guard recorder.asked == declared else {
            throw SiblingSetMismatch(set: String(describing: Self.self), declared: declared, referenced: recorder.asked)
        }
        return siblings
    }
}

/// A sibling set whose fields are not the siblings it declares (a programming error, found at boot).
public struct SiblingSetMismatch: Error, Sendable, CustomStringConvertible {
    public var set: String
    public var declared: Set<String>
    public var referenced: Set<String>

    public var description: String {
        "\(set) declares \(declared.sorted().joined(separator: ", ")) but references \(referenced.sorted().joined(separator: ", "))"
    }
}
