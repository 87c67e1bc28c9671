/// One directory of a tree that `ChangeScanner` compares, entry by entry, with the same directory
/// of another tree.
protocol ScannedDirectory {
    /// The entries the tree shows here, and the names it marks as deleted.
    func listing() throws -> ScannedListing
    /// Whether an entry of the other tree missing from `listing()` was deleted. False for an
    /// overlayfs upper directory that is not opaque: what it does not list still shows from below.
    var listsEveryEntry: Bool { get }
    /// The subdirectory `name`, when the tree has one there.
    func subdirectory(_ name: String) throws -> Self?
}

/// What a scanned directory holds: its entries by name, and the names it marks as deleted
/// (overlayfs whiteouts).
struct ScannedListing {
    var entries: [String: ScannedEntry] = [:]
    var deleted: Set<String> = []
}

/// An entry of a scanned directory: its status and, for a regular file, its capabilities.
struct ScannedEntry {
    var status: FileStatus
    var capability: [UInt8]?

    /// Reads the entry `name` of `directory`; nil when it has vanished.
    init?(_ name: String, in directory: DirectoryHandle) throws {
        guard let status = try directory.status(of: name) else { return nil }
        self.status = status
        capability = status.kind == .regular ? directory.attribute(TreeArchiver.capabilityKey, of: name) : nil
    }
}

/// A plain directory tree: an image's committed directory or a container's (`native` snapshotter).
struct PlainDirectory: ScannedDirectory {
    let handle: DirectoryHandle

    func listing() throws -> ScannedListing {
        var listing = ScannedListing()
        for name in try handle.entryNames() {
            listing.entries[name] = try ScannedEntry(name, in: handle)
        }
        return listing
    }

    var listsEveryEntry: Bool { true }

    func subdirectory(_ name: String) throws -> PlainDirectory? {
        try PlainDirectory(handle: handle.openDirectory(name))
    }
}

/// A directory of an overlayfs upper layer: what the container changed there. Whiteouts are
/// deletions; an opaque directory hides everything below it.
struct OverlayUpperDirectory: ScannedDirectory {
    let handle: DirectoryHandle

    func listing() throws -> ScannedListing {
        var listing = try PlainDirectory(handle: handle).listing()
        for (name, entry) in listing.entries where entry.status.isWhiteout {
            listing.entries[name] = nil
            listing.deleted.insert(name)
        }
        return listing
    }

    var listsEveryEntry: Bool { handle.isOverlayOpaque }

    func subdirectory(_ name: String) throws -> OverlayUpperDirectory? {
        try OverlayUpperDirectory(handle: handle.openDirectory(name))
    }
}

/// A directory of the read-only layers below an overlayfs mount, merged as overlayfs merges them:
/// the topmost layer with a name decides what it is, a whiteout there deletes it, and an opaque
/// directory hides the layers below it. Committed layers do not change, so they are kept as host
/// paths and opened only while read: a scan of many layers holds few descriptors.
struct OverlayLowerDirectory: ScannedDirectory {
    /// The host paths of this directory in each layer that shows through, topmost first.
    let layers: [String]

    /// The roots of the lower layers, topmost first (the order of the mount's `lowerdir=` option).
    init(roots: [String]) throws {
        layers = try Self.visible(roots)
    }

    private init(layers: [String]) {
        self.layers = layers
    }

    func listing() throws -> ScannedListing {
        var listing = ScannedListing()
        var decided = Set<String>()
        for path in layers {
            let layer = try DirectoryHandle(openingPath: path)
            for name in try layer.entryNames() where !decided.contains(name) {
                guard let entry = try ScannedEntry(name, in: layer) else { continue }
                decided.insert(name)
                if !entry.status.isWhiteout { listing.entries[name] = entry }
            }
        }
        return listing
    }

    var listsEveryEntry: Bool { true }

    func subdirectory(_ name: String) throws -> OverlayLowerDirectory? {
        var directories: [String] = []
        for path in layers {
            let layer = try DirectoryHandle(openingPath: path)
            guard let status = try layer.status(of: name) else { continue }
            guard status.kind == .directory else { break }
            directories.append(layer.pathOf(name))
        }
        let visible = try Self.visible(directories)
        return visible.isEmpty ? nil : OverlayLowerDirectory(layers: visible)
    }

    /// The directories down to the first opaque one, which hides the rest.
    private static func visible(_ directories: [String]) throws -> [String] {
        for (index, path) in directories.enumerated() where try DirectoryHandle(openingPath: path).isOverlayOpaque {
            return Array(directories[...index])
        }
        return directories
    }
}
