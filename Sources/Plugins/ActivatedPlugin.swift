/// A legacy plugin that answered `Plugin.Activate`: where it listens and the kinds it implements
/// (`VolumeDriver`, `NetworkDriver`, `authz`, …).
struct ActivatedPlugin: Sendable, Hashable {
    var name: String
    var address: PluginAddress
    var implements: [String]
}
