/// The children of berthd's supervision tree. The order of the cases is the start order (stop order is
/// its reverse); it exists only here, and supervision.md documents it (a test checks that both agree).
public enum ChildName: String, Sendable, CaseIterable, Codable {
    case containerd
    case plugins
    case volumes
    case containers
    case graphdriver
    case images
    case network
    case restore
    case api
}
