import Foundation

/// The entries of a container's `/etc/passwd` and `/etc/group`, parsed as runc parses them: blank and
/// `#` lines skipped, short lines padded, a line whose id is not a number ignored.
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
                guard let uid = Int(fields[2]) else { return nil }
                return User(name: fields[0], uid: uid, gid: Int(fields[3]) ?? 0)
            }
        }
        groups = group.map { text in
            Self.records(text).compactMap { fields in
                guard let gid = Int(fields[2]) else { return nil }
                let members = fields[3].split(separator: ",").map(String.init)
                return Group(name: fields[0], gid: gid, members: members)
            }
        }
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
