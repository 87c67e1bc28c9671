/// Anything that hands out typed references to the children of a tree.
public protocol ChildRefProvider: Sendable {
    func ref<Service>(to child: String, as type: Service.Type) -> ChildRef<Service>
}

extension Supervisor: ChildRefProvider {}
extension ChildContext: ChildRefProvider {}
