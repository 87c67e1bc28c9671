import Supervision

/// Typed references to the children of berthd's tree, valid across their restarts. This is how children
/// (and the HTTP front) talk to each other; they never hold each other's instances.
public struct Subsystems: Sendable {
    public let containerd: ChildRef<any ContainerdService>
    public let plugins: ChildRef<any PluginsService>
    public let volumes: ChildRef<any VolumesService>
    public let containers: ChildRef<any ContainersService>
    public let graphdriver: ChildRef<any GraphDriverService>
    public let images: ChildRef<any ImagesService>
    public let network: ChildRef<any NetworkService>

    public init(_ provider: some ChildRefProvider) {
        containerd = provider.ref(to: ChildName.containerd.rawValue, as: (any ContainerdService).self)
        plugins = provider.ref(to: ChildName.plugins.rawValue, as: (any PluginsService).self)
        volumes = provider.ref(to: ChildName.volumes.rawValue, as: (any VolumesService).self)
        containers = provider.ref(to: ChildName.containers.rawValue, as: (any ContainersService).self)
        graphdriver = provider.ref(to: ChildName.graphdriver.rawValue, as: (any GraphDriverService).self)
        images = provider.ref(to: ChildName.images.rawValue, as: (any ImagesService).self)
        network = provider.ref(to: ChildName.network.rawValue, as: (any NetworkService).self)
    }
}
