import Supervision

/// Whom the `containers` child asks. While it starts it finds its containers' tasks in `containerd`
/// and lets go of the volumes of those that stopped meanwhile; once running it also mounts root
/// filesystems through `graphdriver`, reads images' configurations from `images` and sets up sandboxes
/// in `network`. (Those three start after it: what it asks of them while starting may fail, and
/// `restore` releases what stays behind.)
public struct ContainersSiblings: SiblingSet {
    public static let requires: [ChildName] = [.containerd, .volumes]
    public static let calls: [ChildName] = [.graphdriver, .images, .network]

    public let containerd: ChildRef<any ContainerdService>
    public let volumes: ChildRef<any VolumesService>
    public let graphdriver: ChildRef<any GraphDriverService>
    public let images: ChildRef<any ImagesService>
    public let network: ChildRef<any NetworkService>

    public init(_ refs: some ChildRefProvider) {
        containerd = refs.ref(to: .containerd)
        volumes = refs.ref(to: .volumes)
        graphdriver = refs.ref(to: .graphdriver)
        images = refs.ref(to: .images)
        network = refs.ref(to: .network)
    }
}
