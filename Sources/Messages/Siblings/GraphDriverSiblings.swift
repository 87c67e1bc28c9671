import Supervision

/// Whom the `graphdriver` child asks: `containerd`, whose snapshotter holds the layers it unpacks,
/// prepares and mounts. Choosing the driver at start asks nobody.
public struct GraphDriverSiblings: SiblingSet {
    public static let requires: [ChildName] = []
    public static let calls: [ChildName] = [.containerd]

    public let containerd: ChildRef<any ContainerdService>

    public init(_ refs: some ChildRefProvider) {
        containerd = refs.ref(to: .containerd)
    }
}
