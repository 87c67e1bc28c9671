import Testing

@testable import Dockerfile

struct IgnorePatternsTests {
    @Test func commentsBlankLinesAndCleaning() throws {
        let patterns = try IgnorePatterns(parsing: "\u{FEFF}# comment\n\n  /build/../dist/  \n ./tmp\n  #notacomment\n")
        #expect(!patterns.isEmpty)
        #expect(patterns.excludes("dist"))
        #expect(patterns.excludes("dist/app.js"))
        #expect(patterns.excludes("tmp/x/y"))
        #expect(patterns.excludes("#notacomment"))
        #expect(!patterns.excludes("build"))
        #expect(!patterns.excludes("comment"))
        #expect(!patterns.excludes("."))
        #expect(try IgnorePatterns(parsing: "# only\n\n").isEmpty)
    }

    @Test func starsAndClasses() throws {
        let patterns = try IgnorePatterns(parsing: "*.log\ndocs/?.md\nfile[0-9].txt\n[^a]x\n")
        #expect(patterns.excludes("a.log"))
        #expect(!patterns.excludes("logs/a.log"))  // `*` does not cross "/"
        #expect(patterns.excludes("docs/a.md"))
        #expect(!patterns.excludes("docs/ab.md"))
        #expect(patterns.excludes("file7.txt"))
        #expect(!patterns.excludes("fileA.txt"))
        #expect(patterns.excludes("bx"))
        #expect(!patterns.excludes("ax"))
    }

    @Test func doubleStar() throws {
        let patterns = try IgnorePatterns(parsing: "**/*.tmp\nnode_modules/**\na/**/z\n")
        #expect(patterns.excludes("x.tmp"))
        #expect(patterns.excludes("deep/er/x.tmp"))
        #expect(patterns.excludes("node_modules/x/y"))
        #expect(patterns.excludes("a/z"))
        #expect(patterns.excludes("a/b/c/z"))
        #expect(!patterns.excludes("a/b/c/y"))
    }

    @Test func parentDirectoryMatchExcludesChildren() throws {
        let patterns = try IgnorePatterns(parsing: "secret\nvendor/*\n")
        #expect(patterns.excludes("secret/key"))
        #expect(patterns.excludes("vendor/lib/deep/file.go"))
        #expect(!patterns.excludes("src/secret"))
    }

    @Test func exceptionsAndLastMatchWins() throws {
        let patterns = try IgnorePatterns(parsing: "*.md\n!README.md\nREADME*\n!docs/keep\ndocs\n!docs/keep/x\n")
        #expect(patterns.excludes("a.md"))
        #expect(patterns.excludes("README.md"))  // the later README* wins
        #expect(patterns.excludes("docs/other"))
        #expect(!patterns.excludes("docs/keep/x"))
        let onlyExceptions = try IgnorePatterns(parsing: "!  /x/y\n")
        #expect(!onlyExceptions.excludes("x/y"))
    }

    @Test func escapes() throws {
        let patterns = try IgnorePatterns(parsing: "a\\*b\n")
        #expect(patterns.excludes("a*b"))
        #expect(!patterns.excludes("axb"))
    }

    @Test func badPatterns() {
        #expect(throws: DockerfileError("illegal exclusion pattern: \"!\"")) { try IgnorePatterns(parsing: "!\n") }
        #expect(throws: DockerfileError("syntax error in pattern")) { try IgnorePatterns(parsing: "a[\n") }
    }
}
