import Supervision

/// Whom the `restore` child asks. Its whole run is boot work, so all three are boot requirements:
/// `volumes` and `network` release what containers that stopped while berthd was down held, and
/// `containers` starts again those that must run.
public struct RestoreSiblings: SiblingSet {
    public static let requires: [ChildName] = [.volumes, .containers, .network]
    public static let calls: [ChildName] = []

    public let volumes: ChildRef<any VolumesService>
    public let containers: ChildRef<any ContainersService>
    public let network: ChildRef<any NetworkService>

    public init(_ refs: some ChildRefProvider) {
        volumes = refs.ref(to: .volumes)
        containers = refs.ref(to: .containers)
        network = refs.ref(to: .network)
    }
}
