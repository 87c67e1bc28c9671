import Foundation

/// The entries of a container's `/etc/passwd` and `/etc/group`, parsed as runc parses them: blank and
/// `#` lines skipped, short lines padded, a line whose id is not a number ignored.
///
/// The files belong to the container, which may write anything there: a line whose uid or gid is out of
/// the range runc accepts (0 through Int32.max, such as `x:x:-1:root`) is ignored too, so every id
/// here converts to `UInt32` as it is.
struct UserDatabase {
    struct User: Equatable {
        var name: String
        var uid: Int
        var gid: Int
    }

    struct Group: Equatable {
        var name: String
        var gid: Int
        var members: [String]
    }

    /// `nil` when the image has no such file: then only numeric ids resolve.
    var users: [User]?
    var groups: [Group]?

    init(passwd: String?, group: String?) {
        users = passwd.map { text in
            Self.records(text).compactMap { fields in
                // A gid that is not a number reads as 0, as runc reads it; one out of range drops the line.
                guard let uid = Self.id(fields[2]), let gid = Int(fields[3]) == nil ? 0 : Self.id(fields[3]) else { return nil }
                return User(name: fields[0], uid: uid, gid: gid)
            }
        }
        groups = group.map { text in
            Self.records(text).compactMap { fields in
                guard let gid = Self.id(fields[2]) else { return nil }
                let members = fields[3].split(separator: ",").map(String.init)
                return Group(name: fields[0], gid: gid, members: members)
            }
        }
    }

    /// Largest id runc accepts (it keeps to 31 bits).
    static let maxID = Int(Int32.max)

    /// A uid or gid field, nil when it is not a number in 0...maxID.
    private static func id(_ field: String) -> Int? {
        Int(field).flatMap { (0...maxID).contains($0) ? $0 : nil }
    }

    /// Each meaningful line's colon-separated fields, at least seven of them.
    private static func records(_ text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let fields = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            return fields + Array(repeating: "", count: max(0, 7 - fields.count))
        }
    }
}
