import Testing

@testable import Dockerfile

/// Directives, comments, continuations, warnings and the `original` text dockerd prints as a step.
struct DockerfileParseTests {
    private func commands(_ text: String) throws -> [Instruction] {
        try #require(try Dockerfile.parse(text).stages.first).commands
    }

    @Test func continuationKeepsLeadingSpaceAndDropsCommentLines() throws {
        // dockerd: "Step 2/3 : ENV a=1   b=2    c=3", with the warning below.
        let dockerfile = try Dockerfile.parse("FROM busybox\nENV a=1 \\\n\n  b=2 \\\n # comment\n   c=3\nRUN echo\n")
        let env = try #require(dockerfile.stages.first?.commands.first)
        #expect(env.original == "ENV a=1   b=2    c=3")
        #expect(env.line == 2)
        #expect(env.command == .env([KeyValue(key: "a", value: "1"), KeyValue(key: "b", value: "2"), KeyValue(key: "c", value: "3")]))
        #expect(dockerfile.stages[0].commands[1].line == 7)
        #expect(
            dockerfile.warnings == [
                "[WARNING]: Empty continuation line found in:\n    ENV a=1   b=2    c=3",
                "[WARNING]: Empty continuation lines will become errors in a future release.",
            ])
    }

    @Test func warningShowsTheUntrimmedLine() throws {
        let dockerfile = try Dockerfile.parse(
            "FROM busybox\n   \t   \nenv a 1 2 \\   \t\n     \nlabel   a    \"b c\"  \n")
        #expect(dockerfile.warnings.first == "[WARNING]: Empty continuation line found in:\n    env a 1 2 label   a    \"b c\"  ")
        let env = try #require(dockerfile.stages.first?.commands.first)
        #expect(env.original == "env a 1 2 label   a    \"b c\"")
        #expect(env.command == .env([KeyValue(key: "a", value: "1 2 label   a    \"b c\"")]))
    }

    @Test func byteOrderMarkAndCarriageReturns() throws {
        let dockerfile = try Dockerfile.parse("\u{FEFF}FROM busybox\r\nENV a=1 \\\r\n  b=2\r\n")
        #expect(dockerfile.stages[0].from.original == "FROM busybox")
        #expect(dockerfile.stages[0].commands[0].original == "ENV a=1   b=2")
        #expect(dockerfile.warnings.isEmpty)
    }

    @Test func escapeDirective() throws {
        let dockerfile = try Dockerfile.parse("#syntax=foo\n# ESCAPE = ` \nFROM busybox\nRUN echo `\n  hi\nCOPY a\\b c\\\n")
        #expect(dockerfile.escapeToken == "`")
        let commands = dockerfile.stages[0].commands
        #expect(commands[0].original == "RUN echo   hi")
        #expect(commands[0].command == .run(.shell("echo   hi")))
        #expect(commands[1].command == .copy(FileCopy(sources: ["a\\b"], destination: "c\\")))
    }

    @Test func directiveWithLeadingSpaceCounts() throws {
        #expect(try Dockerfile.parse("  # escape=`\nFROM busybox\n").escapeToken == "`")
    }

    @Test(arguments: [
        "\n# escape=`\nFROM busybox\n",  // after a blank line
        "# hello\n# escape=`\nFROM busybox\n",  // after a comment
        "# directive=x\n# escape=`\nFROM busybox\n",  // after an unknown directive
        "FROM busybox\n# escape=`\n",  // after an instruction
        "#escape :=`\nFROM busybox\n",  // not the directive syntax
    ])
    func directiveOutOfPlaceIsAComment(_ text: String) throws {
        #expect(try Dockerfile.parse(text).escapeToken == "\\")
    }

    @Test func continuationAtEndOfFile() throws {
        #expect(try commands("FROM busybox\nENV a=x\\\n")[0].original == "ENV a=x")
    }

    @Test func metaArgsAndStages() throws {
        let dockerfile = try Dockerfile.parse(
            "ARG v=latest\nARG base\nFROM --platform=linux/amd64 busybox:$v AS B\nRUN a\nfrom scratch\nCMD b\n")
        #expect(dockerfile.metaArgs == [ArgDeclaration(name: "v", defaultValue: "latest"), ArgDeclaration(name: "base")])
        #expect(dockerfile.metaArgInstructions.map(\.original) == ["ARG v=latest", "ARG base"])
        #expect(dockerfile.stages.count == 2)
        #expect(dockerfile.stages[0].name == "b")
        #expect(dockerfile.stages[0].from.command == .from(image: "busybox:$v", stageName: "b", platform: "linux/amd64"))
        #expect(dockerfile.stages[0].from.original == "FROM --platform=linux/amd64 busybox:$v AS B")
        #expect(dockerfile.stages[1].from.command == .from(image: "scratch", stageName: nil, platform: nil))
        #expect(dockerfile.stages[1].commands.map(\.line) == [6])
        #expect(dockerfile.stepCount == 6)
    }

    @Test func instructionsAreCaseInsensitiveAndOriginalIsTrimmed() throws {
        let dockerfile = try Dockerfile.parse("  from busybox  \n\thealthcheck --interval=2s cmd [\"a\",\"b\"]   \n")
        #expect(dockerfile.stages[0].from.original == "from busybox")
        let check = dockerfile.stages[0].commands[0]
        #expect(check.original == "healthcheck --interval=2s cmd [\"a\",\"b\"]")
        #expect(check.command == .healthcheck(Healthcheck(test: ["CMD", "a", "b"], interval: 2_000_000_000)))
    }
}
