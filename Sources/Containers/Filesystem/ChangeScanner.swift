import Messages

/// Compares a container's tree with the image's, directory by directory, as Docker's
/// `archive.ChangesDirs` does for `docker diff` with the overlay2 and containerd snapshotters:
///
/// - an entry only in the container's tree is added (`A`), and so is everything below it;
/// - an entry only in the image's is deleted (`D`), without the entries below it;
/// - an entry in both is modified (`C`) when its type or permissions, owner, device number or
///   `security.capability` differ, or, for a non-directory, its size or mtime (equal when the
///   seconds match and either side has no nanoseconds); directories are compared below either way;
/// - a directory with any change below it is reported modified too, except the root.
///
/// The scan only descends where the container's tree has directories, so an overlayfs upper
/// directory is read without the lower layers it leaves as they are.
struct ChangeScanner {
    private(set) var changes: [FilesystemChange] = []

    /// Scans `new` (at `path`) against `old`, the same directory in the image's tree, nil when that
    /// has none. `isReported` says `path` itself is already in `changes`.
    mutating func scan<New: ScannedDirectory, Old: ScannedDirectory>(
        _ new: New, against old: Old?, at path: String, isReported: Bool = true
    ) throws {
        let countBefore = changes.count
        let newListing = try new.listing()
        let oldEntries = try old?.listing().entries ?? [:]
        for (name, entry) in newListing.entries {
            let childPath = path == "/" ? "/" + name : path + "/" + name
            let oldEntry = oldEntries[name]
            var reported = true
            if oldEntry == nil {
                changes.append(FilesystemChange(path: childPath, kind: .added))
            } else if let oldEntry, Self.differ(oldEntry, entry) {
                changes.append(FilesystemChange(path: childPath, kind: .modified))
            } else {
                reported = false
            }
            guard entry.status.kind == .directory, let newDirectory = try new.subdirectory(name) else { continue }
            let oldDirectory = oldEntry?.status.kind == .directory ? try old?.subdirectory(name) : nil
            try scan(newDirectory, against: oldDirectory, at: childPath, isReported: reported)
        }
        let listsEveryEntry = new.listsEveryEntry
        for name in oldEntries.keys where newListing.entries[name] == nil {
            if listsEveryEntry || newListing.deleted.contains(name) {
                changes.append(FilesystemChange(path: path == "/" ? "/" + name : path + "/" + name, kind: .deleted))
            }
        }
        if changes.count > countBefore, !isReported, path != "/" {
            changes.append(FilesystemChange(path: path, kind: .modified))
        }
    }

    /// The changes sorted by path, by their bytes as Go sorts strings.
    var sortedChanges: [FilesystemChange] {
        changes.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Docker's `statDifferent`, plus its comparison of file capabilities.
    private static func differ(_ old: ScannedEntry, _ new: ScannedEntry) -> Bool {
        let a = old.status, b = new.status
        if a.kind != b.kind || a.permissions != b.permissions || a.uid != b.uid || a.gid != b.gid
            || a.representedDevice != b.representedDevice
        {
            return true
        }
        if a.kind != .directory {
            let sameTime = a.modifiedSeconds == b.modifiedSeconds
                && (a.modifiedNanoseconds == b.modifiedNanoseconds || a.modifiedNanoseconds == 0 || b.modifiedNanoseconds == 0)
            if !sameTime || a.size != b.size { return true }
        }
        return old.capability != new.capability
    }
}
