import Archive
import Testing

@Suite struct TarPathTests {
    @Test(arguments: [
        ("./a", "a"), ("a/./b", "a/b"), ("a//b/", "a/b"), ("././a/b", "a/b"), ("a/../b", "b"),
        ("a/b/../../c", "c"), (".", "."), ("./", "."), ("a/..", "."), ("etc/passwd", "etc/passwd"),
    ])
    func safePathsAreNormalized(path: String, expected: String) throws {
        #expect(try TarPath.safeRelative(path) == expected)
    }

    @Test(arguments: ["../etc/passwd", "a/../../b", "/abs", "/", "", "..", "a/b/../../..", "./../x", "a\0b"])
    func unsafePathsAreRejected(path: String) {
        #expect {
            try TarPath.safeRelative(path)
        } throws: { error in
            (error as? ArchiveError)?.code == .unsafePath
        }
    }

    @Test(arguments: [
        ("b", "a/link", true), ("../b", "a/link", true), ("./b/../c", "a/link", true),
        ("x/../..", "a/link", true), ("usr/lib", "link", true), (".", "link", true),
        ("../../b", "a/link", false), ("..", "link", false), ("/etc/passwd", "link", false),
        ("/", "a/link", false), ("", "link", false), ("a/../../x", "link", false),
        ("b", "../link", false), ("b", "/abs/link", false), ("b", ".", false),
    ])
    func symlinkTargetsAreResolvedFromTheLinksDirectory(target: String, entry: String, safe: Bool) {
        #expect(TarPath.isSafeSymlink(target: target, at: entry) == safe)
    }
}
