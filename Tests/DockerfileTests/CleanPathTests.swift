import Testing

@testable import Dockerfile

/// Cases from Go's `path.Clean` tests.
struct CleanPathTests {
    @Test(arguments: [
        ("", "."), ("abc", "abc"), ("abc/def", "abc/def"), ("a/b/c", "a/b/c"), (".", "."), ("..", ".."), ("../..", "../.."),
        ("../../abc", "../../abc"), ("/abc", "/abc"), ("/", "/"), ("abc/", "abc"), ("abc/def/", "abc/def"), ("/abc/", "/abc"),
        ("abc//def//ghi", "abc/def/ghi"), ("//abc", "/abc"), ("///abc", "/abc"), ("abc//", "abc"), ("abc/./def", "abc/def"),
        ("/./abc/def", "/abc/def"), ("abc/.", "abc"), ("abc/def/ghi/../jkl", "abc/def/jkl"), ("abc/def/../ghi/../jkl", "abc/jkl"),
        ("abc/def/..", "abc"), ("abc/def/../..", "."), ("/abc/def/../..", "/"), ("abc/def/../../..", ".."),
        ("/abc/def/../../..", "/"), ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"), ("abc/./../def", "def"),
        ("abc//./../def", "def"), ("abc/../../././../def", "../../def"),
    ])
    func cleans(_ path: String, _ expected: String) {
        #expect(CleanPath.clean(path) == expected)
    }
}

@Suite struct GoQuotedTests {
    @Test func quotesAStringSliceAsGoPrintsIt() {
        #expect(GoQuoted.list(["cat", "/f.txt"]) == #"["cat" "/f.txt"]"#)
        #expect(GoQuoted.list(["sh", "-c", "echo \"hi\"\tthere\n"]) == #"["sh" "-c" "echo \"hi\"\tthere\n"]"#)
        #expect(GoQuoted.list([]) == "[]")
    }
}
