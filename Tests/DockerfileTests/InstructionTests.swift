import Testing

@testable import Dockerfile

/// Each instruction's arguments, as dockerd's parser splits them.
struct InstructionTests {
    private func command(_ line: String) throws -> Command {
        try #require(try Dockerfile.parse("FROM busybox\n" + line + "\n").stages.first?.commands.first).command
    }

    @Test func runCmdEntrypoint() throws {
        #expect(try command("RUN echo \"$MSG\" > /m && echo hi >&2") == .run(.shell("echo \"$MSG\" > /m && echo hi >&2")))
        #expect(try command("RUN [\"echo\", \"a b\"]") == .run(.exec(["echo", "a b"])))
        #expect(try command("RUN") == .run(.shell("")))
        #expect(try command("CMD [\"cat\",\"/f.txt\"]") == .cmd(.exec(["cat", "/f.txt"])))
        #expect(try command("CMD") == .cmd(.shell("")))
        #expect(try command("CMD []") == .cmd(.exec([])))
        #expect(try command("ENTRYPOINT") == .entrypoint(.exec([])))
        #expect(try command("ENTRYPOINT []") == .entrypoint(.exec([])))
        #expect(try command("ENTRYPOINT top -b") == .entrypoint(.shell("top -b")))
    }

    @Test func jsonFormEdges() throws {
        // Text after the JSON value is ignored, as Go's decoder does.
        #expect(try command("CMD [\"a\", \"b\"] junk") == .cmd(.exec(["a", "b"])))
        #expect(try command("CMD  [ \"a\\u0041\\n\", \"\\ud83d\\ude00\" ]") == .cmd(.exec(["aA\n", "😀"])))
        // Not JSON: the shell form.
        #expect(try command("CMD [\"a\" \"b\"]") == .cmd(.shell("[\"a\" \"b\"]")))
        #expect(try command("CMD [\"a\",") == .cmd(.shell("[\"a\",")))
        #expect(try command("CMD [1") == .cmd(.shell("[1")))
        #expect(try command("CMD ['a']") == .cmd(.shell("['a']")))
    }

    @Test func shell() throws {
        #expect(try command("SHELL [\"/bin/bash\", \"-c\"]") == .shell(["/bin/bash", "-c"]))
        #expect(try command("SHELL [\"/bin/sh\",\"-c\"] x") == .shell(["/bin/sh", "-c"]))
    }

    @Test func envAndLabel() throws {
        #expect(
            try command("ENV a=\"hello world\" b=x\\ y c='q r'") == .env([
                KeyValue(key: "a", value: "\"hello world\""), KeyValue(key: "b", value: "x\\ y"),
                KeyValue(key: "c", value: "'q r'"),
            ]))
        #expect(try command("ENV a b\\\\ c \"d e\" ") == .env([KeyValue(key: "a", value: "b\\\\ c \"d e\"")]))
        #expect(try command("ENV e=\"\"") == .env([KeyValue(key: "e", value: "\"\"")]))
        #expect(try command("LABEL k=v \"x y\"=z") == .label([KeyValue(key: "k", value: "v"), KeyValue(key: "\"x y\"", value: "z")]))
        #expect(try command("LABEL   a    \"b c\"") == .label([KeyValue(key: "a", value: "\"b c\"")]))
    }

    @Test func arg() throws {
        #expect(
            try command("ARG a=1 b=\"2 3\" c") == .arg([
                ArgDeclaration(name: "a", defaultValue: "1"), ArgDeclaration(name: "b", defaultValue: "\"2 3\""),
                ArgDeclaration(name: "c"),
            ]))
        #expect(try command("ARG e=") == .arg([ArgDeclaration(name: "e", defaultValue: "")]))
        // dockerd reads no flags for ARG: they are dropped.
        #expect(try command("ARG --foo x=1") == .arg([ArgDeclaration(name: "x", defaultValue: "1")]))
    }

    @Test func copyAndAdd() throws {
        #expect(try command("COPY f.txt /f.txt") == .copy(FileCopy(sources: ["f.txt"], destination: "/f.txt")))
        #expect(
            try command("COPY --from=build --chown=1:2 a b /dst/") == .copy(
                FileCopy(sources: ["a", "b"], destination: "/dst/", chown: "1:2", from: "build")))
        #expect(try command("COPY [\"a b\", \"/c d\"]") == .copy(FileCopy(sources: ["a b"], destination: "/c d")))
        #expect(try command("COPY --chown= f.txt /x") == .copy(FileCopy(sources: ["f.txt"], destination: "/x")))
        #expect(try command("COPY -- --f /x") == .copy(FileCopy(sources: ["--f"], destination: "/x")))
        #expect(try command("COPY a --chown=1 b") == .copy(FileCopy(sources: ["a", "--chown=1"], destination: "b")))
        #expect(
            try command("COPY --chown=\"1 2\" f.txt /x") == .copy(FileCopy(sources: ["f.txt"], destination: "/x", chown: "1 2")))
        #expect(try command("ADD --chown=$U http://x/y /y") == .add(FileCopy(sources: ["http://x/y"], destination: "/y", chown: "$U")))
    }

    @Test func singleArgumentInstructions() throws {
        #expect(try command("USER a b") == .user("a b"))
        #expect(try command("USER \"root\"") == .user("\"root\""))
        #expect(try command("WORKDIR \"/a b\"") == .workdir("\"/a b\""))
        #expect(try command("STOPSIGNAL --foo x") == .stopSignal("x"))
        #expect(try command("MAINTAINER Jane Doe <j@d>") == .maintainer("Jane Doe <j@d>"))
    }

    @Test func exposeAndVolume() throws {
        #expect(try command("EXPOSE 80/tcp  $P 443") == .expose(["80/tcp", "$P", "443"]))
        #expect(try command("VOLUME /a /b") == .volume(["/a", "/b"]))
        #expect(try command("VOLUME [\"/a b\", \" /c \"]") == .volume(["/a b", "/c"]))
    }

    @Test func healthcheck() throws {
        #expect(try command("HEALTHCHECK NONE") == .healthcheck(Healthcheck(test: ["NONE"])))
        #expect(try command("HEALTHCHECK --interval=1s NONE") == .healthcheck(Healthcheck(test: ["NONE"])))
        #expect(
            try command("HEALTHCHECK --interval=1m30s --timeout=2.5s --start-period=1ms --retries=3 CMD curl -f x || exit 1")
                == .healthcheck(
                    Healthcheck(
                        test: ["CMD-SHELL", "curl -f x || exit 1"], interval: 90_000_000_000, timeout: 2_500_000_000,
                        startPeriod: 1_000_000, retries: 3)))
        #expect(try command("HEALTHCHECK --interval= CMD x") == .healthcheck(Healthcheck(test: ["CMD-SHELL", "x"])))
        #expect(try command("HEALTHCHECK cmd [\"a\"]") == .healthcheck(Healthcheck(test: ["CMD", "a"])))
    }

    @Test func onbuild() throws {
        #expect(try command("ONBUILD   run echo hi") == .onbuild("run echo hi"))
        #expect(try command("onbuild FOO bar") == .onbuild("FOO bar"))
    }

    @Test func unknownAndBuildKitFlags() throws {
        let dockerfile = try Dockerfile.parse("FROM busybox\nRUN --mount=type=secret,id=x,required cat\nADD --chmod=644 a b\n")
        #expect(dockerfile.stages[0].commands.map(\.flagRequiringBuildKit) == ["mount", "chmod"])
        #expect(dockerfile.stages[0].commands[0].command == .run(.shell("cat")))
    }
}
