import Supervision

/// Whom the `volumes` child asks: `plugins`, for the volume drivers of legacy plugins.
public struct VolumesSiblings: SiblingSet {
    public static let requires: [ChildName] = []
    public static let calls: [ChildName] = [.plugins]

    public let plugins: ChildRef<any PluginsService>

    public init(_ refs: some ChildRefProvider) {
        plugins = refs.ref(to: .plugins)
    }
}
