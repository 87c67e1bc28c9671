import Supervision
import Synchronization

/// Hands out the references of another provider and remembers which children they name.
final class RecordingRefProvider<Base: ChildRefProvider>: ChildRefProvider {
    private let base: Base
    private let names = Mutex<Set<String>>([])

    init(_ base: Base) { self.base = base }

    /// The children referenced so far.
    var asked: Set<String> { names.withLock { $0 } }

    func ref<Service>(to child: String, as type: Service.Type) -> ChildRef<Service> {
        names.withLock { _ = $0.insert(child) }
        return base.ref(to: child, as: type)
    }
}
