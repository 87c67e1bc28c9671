import Testing

@testable import Dockerfile

/// Cases from Go's `path.Match` tests.
struct PathPatternTests {
    @Test(arguments: [
        ("abc", "abc", true), ("*", "abc", true), ("*c", "abc", true), ("a*", "a", true), ("a*", "abc", true),
        ("a*", "ab/c", false), ("a*/b", "abc/b", true), ("a*/b", "a/c/b", false), ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true), ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false), ("a*b?c*x", "abxbbxdbxebxczzx", true),
        ("a*b?c*x", "abxbbxdbxebxczzy", false), ("ab[c]", "abc", true), ("ab[b-d]", "abc", true), ("ab[e-g]", "abc", false),
        ("ab[^c]", "abc", false), ("ab[^b-d]", "abc", false), ("ab[^e-g]", "abc", true), ("a\\*b", "a*b", true),
        ("a\\*b", "ab", false), ("a?b", "a☺b", true), ("a[^a]b", "a☺b", true), ("a???b", "a☺b", false),
        ("a[^a][^a][^a]b", "a☺b", false), ("[a-ζ]*", "α", true), ("*[a-ζ]", "A", false), ("a?b", "a/b", false),
        ("a*b", "a/b", false), ("[\\]a]", "]", true), ("[\\-]", "-", true), ("[x\\-]", "x", true), ("[x\\-]", "-", true),
        ("[x\\-]", "z", false), ("[\\-x]", "x", true), ("*x", "xxx", true), ("[!a]", "!", true),
    ])
    func matches(_ pattern: String, _ name: String, _ expected: Bool) throws {
        #expect(try PathPattern.matches(pattern, name) == expected)
    }

    @Test(arguments: [
        ("[]a]", "]"), ("[-]", "-"), ("[x-]", "x"), ("[-x]", "x"), ("\\", "a"), ("[a-b-c]", "a"), ("[", "a"), ("[^", "a"),
        ("[^bc", "a"), ("a[", "a"), ("a[", "ab"), ("a[", "x"), ("a/b[", "x"), ("*x\\", "xxx"), ("[\\", "a"),
    ])
    func badPatterns(_ pattern: String, _ name: String) {
        #expect(throws: PathPattern.badPattern) { try PathPattern.matches(pattern, name) }
    }

    @Test func wildcards() {
        #expect(PathPattern.hasWildcards("*.txt"))
        #expect(PathPattern.hasWildcards("a?"))
        #expect(PathPattern.hasWildcards("[ab]"))
        #expect(!PathPattern.hasWildcards("plain/file"))
        #expect(!PathPattern.hasWildcards("a\\*b"))
    }
}
