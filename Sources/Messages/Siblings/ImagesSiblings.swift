import Supervision

/// Whom the `images` child asks once running: `containerd` (content, leases, image records),
/// `graphdriver` (unpacking layers) and `containers` (which images are in use; the containers a build
/// runs). It asks nobody while starting.
public struct ImagesSiblings: SiblingSet {
    public static let requires: [ChildName] = []
    public static let calls: [ChildName] = [.containerd, .graphdriver, .containers]

    public let containerd: ChildRef<any ContainerdService>
    public let graphdriver: ChildRef<any GraphDriverService>
    public let containers: ChildRef<any ContainersService>

    public init(_ refs: some ChildRefProvider) {
        containerd = refs.ref(to: .containerd)
        graphdriver = refs.ref(to: .graphdriver)
        containers = refs.ref(to: .containers)
    }
}
