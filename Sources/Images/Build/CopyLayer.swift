import Archive
import Foundation
import Messages

/// The layer of a `COPY`/`ADD` onto an empty image (`FROM scratch`): the copy tar moved under its
/// destination, with the destination's parent directories (`0755`, root's) in front. No passwd file
/// exists there, so `--chown` takes numbers only.
enum CopyLayer {
    static func forEmptyImage(archive: String, destination: String, chown: String?, to layer: String) throws {
        let owner = try chown.map(numericOwner)
        let components = destination.split(separator: "/").map(String.init)
        let intoDirectory = destination.hasSuffix("/")
        let writer = try TarWriter(fileAt: layer, permissions: 0o600)
        let parents = intoDirectory ? components : Array(components.dropLast())
        for depth in parents.indices {
            try writer.append(TarEntry(path: parents[...depth].joined(separator: "/") + "/", kind: .directory, mode: 0o755))
        }
        let reader = try TarReader(fileAt: archive)
        defer { reader.close() }
        let data = layer + ".data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        while var entry = try reader.next() {
            let name = intoDirectory ? entry.path : components.joined(separator: "/")
            entry.path = intoDirectory ? (parents + [name]).joined(separator: "/") : name
            if let owner { (entry.uid, entry.gid) = owner }
            if entry.kind.hasData {
                try reader.copyData(toFileAt: data, permissions: 0o600)
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: data))
                defer { try? handle.close() }
                try writer.append(entry, from: handle)
            } else {
                try writer.append(entry)
            }
        }
        try writer.finish()
    }

    /// `uid[:gid]` in numbers (a lone uid is also the gid, as Docker reads `--chown`).
    static func numericOwner(_ chown: String) throws -> (Int, Int) {
        let parts = chown.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard let uid = parts.first ?? nil, parts.count <= 2, (0...Int(Int32.max)).contains(uid) else {
            throw EngineError.invalidArgument("unable to convert uid/gid chown string to host mapping: no passwd file in an empty image to look up \(chown)")
        }
        let gid = parts.count == 2 ? parts[1] : uid
        guard let gid, (0...Int(Int32.max)).contains(gid) else {
            throw EngineError.invalidArgument("unable to convert uid/gid chown string to host mapping: no group file in an empty image to look up \(chown)")
        }
        return (uid, gid)
    }
}
