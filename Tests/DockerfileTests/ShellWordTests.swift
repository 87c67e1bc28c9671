import Testing

@testable import Dockerfile

/// Substitution, quoting and escapes, checked against dockerd (`ENV` then `RUN echo`).
struct ShellWordTests {
    private let variables = ["a": "1", "e": "", "sp": "x  y", "HOME": "/root"]

    private func expand(_ word: String, escape: Character = "\\") throws -> String {
        try ShellWord.expand(word, escapeToken: escape) { variables[$0] }
    }

    @Test(arguments: [
        ("\"x y\"", "x y"), ("'$a z'", "$a z"), ("\\$a", "$a"), ("${a:-no}", "1"), ("${u:-def}", "def"),
        ("${a:+alt}", "alt"), ("${u:+alt}", ""), ("${e:-empty}", "empty"), ("${e:+alt}", ""), ("\"q\\\"x\"", "q\"x"),
        ("a\\ b", "a b"), ("$1x", "x"), ("$@y", "y"), ("${a}b", "1b"), ("$", "$"), ("\"\\z\"", "\\z"), ("'\\z'", "\\z"),
        ("${a:-$e${a}}", "1"), ("${a:?y}", "1"), ("x\\", "x"), ("\"x\\\\\"", "x\\"), ("${1}", ""), ("$HOME/bin", "/root/bin"),
        ("\"$sp\"", "x  y"), ("${u:-\"a b\"}", "a b"), ("$a$a", "11"), ("$é", ""),
    ])
    func expands(_ word: String, _ expected: String) throws {
        #expect(try expand(word) == expected)
    }

    @Test func backtickEscape() throws {
        #expect(try expand("a` b`$a", escape: "`") == "a b$a")
        #expect(try expand("a\\b", escape: "`") == "a\\b")
    }

    @Test(arguments: [
        ("${x", "failed to process \"${x\": missing ':' in substitution"),
        ("${x-y}", "failed to process \"${x-y}\": missing ':' in substitution"),
        ("${x+y}", "failed to process \"${x+y}\": missing ':' in substitution"),
        ("${x!}", "failed to process \"${x!}\": missing ':' in substitution"),
        ("${x:?y}", "failed to process \"${x:?y}\": x: y"),
        ("${x:?}", "failed to process \"${x:?}\": x: is not allowed to be unset"),
        ("${e:?y}", "failed to process \"${e:?y}\": e: y"),
        ("${}", "failed to process \"${}\": syntax error: bad substitution"),
        ("${{x}", "failed to process \"${{x}\": syntax error: bad substitution"),
        ("${:x}", "failed to process \"${:x}\": syntax error: bad substitution"),
        ("${", "failed to process \"${\": syntax error: missing '}'"),
        ("\"x", "failed to process \"\\\"x\": unexpected end of statement while looking for matching double-quote"),
        ("'x", "failed to process \"'x\": unexpected end of statement while looking for matching single-quote"),
        ("${x:-y", "failed to process \"${x:-y\": syntax error: missing '}'"),
        ("${x:-\"y}\"", "failed to process \"${x:-\\\"y}\\\"\": syntax error: missing '}'"),
        ("${x:}", "failed to process \"${x:}\": syntax error: missing '}'"),
        ("${x:", "failed to process \"${x:\": syntax error: missing '}'"),
        ("${x:=y}", "failed to process \"${x:=y}\": unsupported modifier (=) in substitution"),
    ])
    func refuses(_ word: String, _ message: String) {
        #expect(throws: DockerfileError(message)) { try expand(word) }
    }

    @Test func wordsSplitOnUnquotedSpaceIncludingValues() throws {
        let words = try ShellWord.expandWords("$sp \"a b\" c\\ d ${u:-e f}", escapeToken: "\\") { variables[$0] }
        #expect(words == ["x", "y", "a b", "c d", "e", "f"])
    }

    @Test func expandedCommand() throws {
        let env = ["v": "3.1", "p": "80 81", "U": "app", "H": "/home"]
        let lookup: (String) -> String? = { env[$0] }
        let dockerfile = try Dockerfile.parse(
            """
            FROM busybox:$v AS b
            ENV a="x $v" b=${U}
            LABEL "k $U"=v
            ARG z=$v
            EXPOSE $p 82
            COPY --from=$U --chown=$U ["$H/a b", "${H}/c"]
            WORKDIR $H
            USER $U
            VOLUME $H/v
            STOPSIGNAL SIG$U
            RUN echo $v
            """)
        let stage = dockerfile.stages[0]
        #expect(try stage.from.command.expanded(escapeToken: "\\", lookup: lookup) == .from(image: "busybox:3.1", stageName: "b", platform: nil))
        let expanded = try stage.commands.map { try $0.command.expanded(escapeToken: "\\", lookup: lookup) }
        #expect(
            expanded == [
                .env([KeyValue(key: "a", value: "x 3.1"), KeyValue(key: "b", value: "app")]),
                .label([KeyValue(key: "k app", value: "v")]),
                .arg([ArgDeclaration(name: "z", defaultValue: "3.1")]),
                .expose(["80", "81", "82"]),
                .copy(FileCopy(sources: ["/home/a b"], destination: "/home/c", chown: "app", from: "$U")),
                .workdir("/home"), .user("app"), .volume(["/home/v"]), .stopSignal("SIGapp"),
                .run(.shell("echo $v")),
            ])
    }
}
