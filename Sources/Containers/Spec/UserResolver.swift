import Messages

/// Docker's `--user` and `--group-add`, resolved against the container's own `/etc/passwd` and
/// `/etc/group` as runc resolves them.
///
/// `name[:group]` must be in the files; `uid[:gid]` needs no files. A user named without a group gets
/// its primary group and every group that lists it. The primary gid leads `additionalGids`, followed by
/// those groups and then `GroupAdd`, each once.
enum UserResolver {
    static func resolve(user spec: String?, groupAdd: [String], rootfs: String) throws -> RuntimeSpec.User {
        let database = UserDatabase(
            passwd: try RootfsPath.contents(of: "/etc/passwd", in: rootfs),
            group: try RootfsPath.contents(of: "/etc/group", in: rootfs))
        return try resolve(user: spec ?? "", groupAdd: groupAdd, database: database)
    }

    static func resolve(user spec: String, groupAdd: [String], database: UserDatabase) throws -> RuntimeSpec.User {
        let parts = spec.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let userArg = parts.first ?? ""
        let groupArg = parts.count > 1 ? parts[1] : ""

        var uid = 0
        var gid = 0
        var matchedName: String?
        let numericUID = Int(userArg)
        let match = database.users?.first { entry in
            if userArg.isEmpty { return entry.uid == 0 }
            if let numericUID { return entry.uid == numericUID }
            return entry.name == userArg
        }
        if let match {
            (uid, gid, matchedName) = (match.uid, match.gid, match.name)
        } else if !userArg.isEmpty {
            guard let numericUID else {
                throw EngineError.invalidArgument("unable to find user \(userArg): no matching entries in passwd file")
            }
            uid = try checkedID(numericUID)
        }

        var supplementary: [Int] = []
        if !groupArg.isEmpty {
            gid = try group(named: groupArg, in: database, unknown: "unable to find group \(groupArg)")
        } else if let matchedName {
            supplementary = (database.groups ?? []).filter { $0.members.contains(matchedName) }.map(\.gid)
        }
        let added = try groupAdd.map { try group(named: $0, in: database, unknown: "Unable to find group \($0)") }

        var seen = Set<Int>()
        let gids = ([gid] + supplementary + added).filter { seen.insert($0).inserted }
        // Every id is in 0...maxID: checked above, or read from the files, which keep only those.
        return RuntimeSpec.User(
            uid: UInt32(truncatingIfNeeded: uid), gid: UInt32(truncatingIfNeeded: gid), additionalGids: gids.map { UInt32(truncatingIfNeeded: $0) })
    }

    /// The gid of the group named `name`, or `name` itself when it is a number.
    private static func group(named name: String, in database: UserDatabase, unknown: String) throws -> Int {
        let numeric = Int(name)
        if let match = database.groups?.first(where: { $0.name == name || $0.gid == numeric }) { return match.gid }
        guard let numeric else { throw EngineError.invalidArgument("\(unknown): no matching entries in group file") }
        return try checkedID(numeric)
    }

    private static func checkedID(_ id: Int) throws -> Int {
        guard (0...UserDatabase.maxID).contains(id) else {
            throw EngineError.invalidArgument("uids and gids must be in range 0-\(UserDatabase.maxID)")
        }
        return id
    }
}
