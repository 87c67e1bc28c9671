import Supervision

/// References to every child that answers messages, valid across their restarts: the sibling set of the
/// HTTP front (`api`), which forwards to them all, and what the daemon asks at shutdown. The other
/// children are handed narrower sets (`ContainersSiblings`, …).
public struct Subsystems: SiblingSet {
    public static let requires: [ChildName] = []
    public static let calls: [ChildName] = [.containerd, .plugins, .volumes, .containers, .graphdriver, .images, .network]

    public let containerd: ChildRef<any ContainerdService>
    public let plugins: ChildRef<any PluginsService>
    public let volumes: ChildRef<any VolumesService>
    public let containers: ChildRef<any ContainersService>
    public let graphdriver: ChildRef<any GraphDriverService>
    public let images: ChildRef<any ImagesService>
    public let network: ChildRef<any NetworkService>

    public init(_ refs: some ChildRefProvider) {
        containerd = refs.ref(to: .containerd)
        plugins = refs.ref(to: .plugins)
        volumes = refs.ref(to: .volumes)
        containers = refs.ref(to: .containers)
        graphdriver = refs.ref(to: .graphdriver)
        images = refs.ref(to: .images)
        network = refs.ref(to: .network)
    }
}
