import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct UserResolverTests {
    private static let passwd = """
        root:x:0:0:root:/root:/bin/sh
        # a comment
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        app:x:1000:1000:App:/home/app:/bin/sh

        """
    private static let group = """
        root:x:0:
        daemon:x:1:
        audio:x:29:app
        video:x:44:app,other
        app:x:1000:
        staff:x:50:
        """

    private func rootfs() throws -> SpecTempDirectory {
        let directory = try SpecTempDirectory()
        try directory.write("etc/passwd", Self.passwd)
        try directory.write("etc/group", Self.group)
        return directory
    }

    private func user(_ spec: String?, groupAdd: [String] = [], in rootfs: SpecTempDirectory) throws -> RuntimeSpec.User {
        try SpecFixtures.spec(rootfs: rootfs.path) { config, hostConfig in
            config.User = spec
            hostConfig.GroupAdd = groupAdd
        }.process.user
    }

    @Test func nameGetsPrimaryAndSupplementaryGroups() throws {
        let rootfs = try rootfs()
        #expect(try user("app", in: rootfs) == RuntimeSpec.User(uid: 1000, gid: 1000, additionalGids: [1000, 29, 44]))
    }

    @Test func explicitGroupReplacesThePrimaryAndDropsSupplementaryOnes() throws {
        let rootfs = try rootfs()
        #expect(try user("app:staff", in: rootfs) == RuntimeSpec.User(uid: 1000, gid: 50, additionalGids: [50]))
        #expect(try user("app:7", in: rootfs) == RuntimeSpec.User(uid: 1000, gid: 7, additionalGids: [7]))
    }

    @Test func numericIDsNeedNoEntries() throws {
        let rootfs = try rootfs()
        #expect(try user("4242:4343", in: rootfs) == RuntimeSpec.User(uid: 4242, gid: 4343, additionalGids: [4343]))
        #expect(try user("1", in: rootfs) == RuntimeSpec.User(uid: 1, gid: 1, additionalGids: [1]))
        let noFiles = try SpecFixtures.spec { config, _ in config.User = "123" }.process.user
        #expect(noFiles == RuntimeSpec.User(uid: 123, gid: 0, additionalGids: [0]))
    }

    @Test func groupAddTakesNamesAndNumbers() throws {
        let rootfs = try rootfs()
        #expect(
            try user(nil, groupAdd: ["staff", "900", "audio"], in: rootfs)
                == RuntimeSpec.User(uid: 0, gid: 0, additionalGids: [0, 50, 900, 29]))
        #expect(
            SpecFixtures.message { _ = try user(nil, groupAdd: ["nogroup"], in: rootfs) }
                == "Unable to find group nogroup: no matching entries in group file")
    }

    @Test func unknownNamesAreRejected() throws {
        let rootfs = try rootfs()
        #expect(SpecFixtures.message { _ = try user("ghost", in: rootfs) } == "unable to find user ghost: no matching entries in passwd file")
        #expect(
            SpecFixtures.message { _ = try user("app:ghosts", in: rootfs) }
                == "unable to find group ghosts: no matching entries in group file")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { config, _ in config.User = "app" } }
                == "unable to find user app: no matching entries in passwd file")
    }

    @Test func symlinkedPasswdStaysInsideTheRootfs() throws {
        let rootfs = try SpecTempDirectory()
        try rootfs.write("real/passwd", "inside:x:77:77::/:/bin/sh\n")
        try FileManager.default.createDirectory(atPath: rootfs.path + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: rootfs.path + "/etc/passwd", withDestinationPath: "/../../real/passwd")
        #expect(try user("inside", in: rootfs).uid == 77)
    }

    /// Issue 18: the container writes its own files; `echo 'x:x:-1:root' >> /etc/group` once trapped
    /// every later `docker exec` and health check on `UInt32(-1)`.
    @Test func linesWithIdsOutOfRangeAreIgnored() throws {
        let database = UserDatabase(
            passwd: Self.passwd + "neg:x:-1:0::/:/bin/sh\nbig:x:4294967296:0::/:/bin/sh\nbadgid:x:7:-5::/:/bin/sh\nmax:x:2147483648:0\n",
            group: Self.group + "\nx:x:-1:root\nhuge:x:99999999999999999999999:root\ntop:x:2147483648:root,app\n")
        #expect(database.users?.map(\.name) == ["root", "daemon", "app"])
        #expect(database.groups?.map(\.name) == ["root", "daemon", "audio", "video", "app", "staff"])
        let root = try UserResolver.resolve(user: "root", groupAdd: [], database: database)
        #expect(root == RuntimeSpec.User(uid: 0, gid: 0, additionalGids: [0]))
        #expect(try UserResolver.resolve(user: "app", groupAdd: [], database: database).additionalGids == [1000, 29, 44])
        #expect(throws: EngineError.self) { try UserResolver.resolve(user: "neg", groupAdd: [], database: database) }
        #expect(throws: EngineError.self) { try UserResolver.resolve(user: "0:x", groupAdd: [], database: database) }
        #expect(throws: EngineError.self) { try UserResolver.resolve(user: "0", groupAdd: ["-1"], database: database) }
        #expect(throws: EngineError.self) { try UserResolver.resolve(user: "-1", groupAdd: [], database: database) }
        // A gid that is not a number reads as 0, as runc reads it.
        #expect(UserDatabase(passwd: "u:x:5:x", group: nil).users == [UserDatabase.User(name: "u", uid: 5, gid: 0)])
    }

    /// The files in `Regressions/` are inputs the passwd-group fuzz target (fuzz/) crashed on: a
    /// passwd file and a group file joined by a NUL byte, as the target reads them.
    @Test func fuzzRegressionsResolveWithoutTrapping() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("passwd-group-") {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
            let database = UserDatabase(
                passwd: String(decoding: bytes[..<split], as: UTF8.self), group: String(decoding: bytes[min(split + 1, bytes.endIndex)...], as: UTF8.self))
            for spec in ["", "root", "0:0", "x"] {
                _ = try? UserResolver.resolve(user: spec, groupAdd: ["x"], database: database)
            }
        }
    }
}
