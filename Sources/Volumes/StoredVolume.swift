import Messages

/// A volume as berthd keeps it in `volumes.db`.
struct StoredVolume: Sendable, Equatable {
    var name: String
    var driver: String
    /// The host path of its data: `<data-root>/volumes/NAME/_data` for `local`; a plugin's answer
    /// (known once mounted) otherwise.
    var mountpoint: String
    var createdAt: String
    var labels: [String: String]
    var options: [String: String]
    var anonymous: Bool

    /// Docker marks anonymous volumes with this label (prune removes only those by default).
    static let anonymousLabel = "com.docker.volume.anonymous"

    var description: VolumeDescription {
        VolumeDescription(Name: name, Driver: driver, Mountpoint: mountpoint, CreatedAt: createdAt, Labels: labels, Options: options)
    }
}
