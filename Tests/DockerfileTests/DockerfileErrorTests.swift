import Testing

@testable import Dockerfile

/// Error texts, each checked against dockerd 20.10.24's legacy builder.
struct DockerfileErrorTests {
    static let cases: [(String, String)] = [
        ("FROM busybox\nENV a=1 \\\n  b=2\nFROBNICATE", "dockerfile parse error line 4: unknown instruction: FROBNICATE"),
        ("FROM busybox\n\nENV a=1 \\\n\n\\\n\nb=2\n\n  \n\nFROBNICATE\n", "dockerfile parse error line 11: unknown instruction: FROBNICATE"),
        ("# directive=x\n# escape=`\nFROM busybox\nENV a=`\n b\n", "dockerfile parse error line 5: unknown instruction: B"),
        ("", "the Dockerfile (Dockerfile) cannot be empty"),
        ("\n\n", "failed to parse Dockerfile: file with no instructions"),
        ("# just a comment\n", "failed to parse Dockerfile: file with no instructions"),
        ("  \n", "failed to parse Dockerfile: file with no instructions"),
        ("FROM busybox\nHEALTHCHECK --foo FOO x\n", "dockerfile parse error line 2: Unknown flag: foo"),
        ("FROM busybox\nARG x=1 =2\n", "dockerfile parse error line 2: ARG names can not be blank"),
        ("RUN x\nFROM busybox\n", "no build stage in current context"),
        ("ARG x\n", "no build stage in current context"),
        ("FROM busybox\nENV a\n", "failed to parse Dockerfile: ENV must have two arguments"),
        ("FROM busybox\nLABEL a\n", "failed to parse Dockerfile: LABEL must have two arguments"),
        ("FROM busybox\nENV\n", "dockerfile parse error line 2: ENV requires at least one argument"),
        ("FROM busybox\nENV =x\n", "dockerfile parse error line 2: ENV names can not be blank"),
        ("FROM busybox\nENV a=1 b\n", "failed to parse Dockerfile: Syntax error - can't find = in \"b\". Must be of the form: name=value"),
        ("FROM busybox\nCMD [\"a\", 1]\n", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only"),
        ("FROM busybox\nCMD [{\"a\":1}]\n", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only"),
        ("FROM busybox\nONBUILD CMD [1]\n", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only"),
        ("FROM busybox\nONBUILD ENV a\n", "failed to parse Dockerfile: ENV must have two arguments"),
        ("FROM busybox\nRUN x\nFROBNICATE\nENV a\n", "failed to parse Dockerfile: ENV must have two arguments"),
        ("# escape=x\nFROM busybox\n", "failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\"),
        ("# escape=\\\\\nFROM busybox\n", "failed to parse Dockerfile: invalid escape token '\\\\' does not match ` or \\"),
        ("# escape=`\n# escape=`\nFROM busybox\n", "failed to parse Dockerfile: only one escape parser directive can be used"),
        ("FROM\n", "dockerfile parse error line 1: FROM requires either one or three arguments"),
        ("FROM a b\n", "dockerfile parse error line 1: FROM requires either one or three arguments"),
        ("FROM busybox AS b c\n", "dockerfile parse error line 1: FROM requires either one or three arguments"),
        ("FROM busybox AS 1x\n", "dockerfile parse error line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols"),
        ("FROM --foo=x busybox\n", "dockerfile parse error line 1: Unknown flag: foo"),
        ("FROM --platform busybox\n", "dockerfile parse error line 1: Missing a value on flag: platform"),
        ("FROM busybox\nONBUILD ONBUILD RUN x\n", "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        ("FROM busybox\nONBUILD from x\n", "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger"),
        ("FROM busybox\nONBUILD maintainer x\n", "dockerfile parse error line 2: MAINTAINER isn't allowed as an ONBUILD trigger"),
        ("FROM busybox\nONBUILD\n", "dockerfile parse error line 2: ONBUILD requires at least one argument"),
        ("FROM busybox\nSHELL sh -c\n", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form"),
        ("FROM busybox\nSHELL []\n", "dockerfile parse error line 2: SHELL requires at least one argument"),
        ("FROM busybox\nCOPY a\n", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("FROM busybox\nCOPY --chown=1 f.txt\n", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("FROM busybox\nADD a\n", "dockerfile parse error line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("FROM busybox\nUSER\n", "dockerfile parse error line 2: USER requires exactly one argument"),
        ("FROM busybox\nWORKDIR\n", "dockerfile parse error line 2: WORKDIR requires exactly one argument"),
        ("FROM busybox\nEXPOSE\n", "dockerfile parse error line 2: EXPOSE requires at least one argument"),
        ("FROM busybox\nVOLUME\n", "dockerfile parse error line 2: VOLUME requires at least one argument"),
        ("FROM busybox\nVOLUME [\"\"]\n", "dockerfile parse error line 2: VOLUME specified can not be an empty string"),
        ("FROM busybox\nSTOPSIGNAL\n", "dockerfile parse error line 2: STOPSIGNAL requires exactly one argument"),
        ("FROM busybox\nMAINTAINER\n", "dockerfile parse error line 2: MAINTAINER requires exactly one argument"),
        ("FROM busybox\nARG\n", "dockerfile parse error line 2: ARG requires at least one argument"),
        ("FROM busybox\nARG =x\n", "dockerfile parse error line 2: ARG names can not be blank"),
        ("FROM busybox\nUSER --foo x\n", "dockerfile parse error line 2: Unknown flag: foo"),
        ("FROM busybox\nEXPOSE --x 80\n", "dockerfile parse error line 2: Unknown flag: x"),
        ("FROM busybox\nRUN --foo x\n", "dockerfile parse error line 2: Unknown flag: foo"),
        ("FROM busybox\nRUN --network=none x\n", "dockerfile parse error line 2: Unknown flag: network"),
        ("FROM busybox\nCOPY --link f.txt /x\n", "dockerfile parse error line 2: Unknown flag: link"),
        ("FROM busybox\nCOPY --chown=1 --chown=2 f.txt /x\n", "dockerfile parse error line 2: Duplicate flag specified: chown"),
        ("FROM busybox\nCOPY --from=a --from=b f.txt /x\n", "dockerfile parse error line 2: Duplicate flag specified: from"),
        ("FROM busybox\nCOPY --from=a --chown f.txt /x\n", "dockerfile parse error line 2: Missing a value on flag: chown"),
        ("FROM busybox\nCOPY --ch\\\"own=1 f.txt /x\n", "dockerfile parse error line 2: Unknown flag: ch\"own"),
        ("FROM busybox\nADD --from=a f.txt /x\n", "dockerfile parse error line 2: Unknown flag: from"),
        ("FROM busybox\nRUN --mount x\n", "dockerfile parse error line 2: Missing a value on flag: mount"),
        ("FROM busybox\nRUN --mount=foo x\n", "dockerfile parse error line 2: invalid field 'foo' must be a key=value pair"),
        ("FROM busybox\nRUN --mount=type=foo x\n", "dockerfile parse error line 2: unsupported mount type \"foo\""),
        ("FROM busybox\nRUN --mount= x\n", "dockerfile parse error line 2: failed to parse csv mounts: EOF"),
        ("FROM busybox\nHEALTHCHECK --interval=0.5ms CMD x\n", "dockerfile parse error line 2: Interval \"interval\" cannot be less than 1ms"),
        ("FROM busybox\nHEALTHCHECK --interval=0s CMD x\n", "dockerfile parse error line 2: Interval \"interval\" cannot be less than 1ms"),
        ("FROM busybox\nHEALTHCHECK --interval=abc CMD x\n", "dockerfile parse error line 2: time: invalid duration \"abc\""),
        ("FROM busybox\nHEALTHCHECK --interval=1 CMD x\n", "dockerfile parse error line 2: time: missing unit in duration \"1\""),
        ("FROM busybox\nHEALTHCHECK --timeout=-1s CMD x\n", "dockerfile parse error line 2: Interval \"timeout\" cannot be less than 1ms"),
        ("FROM busybox\nHEALTHCHECK --interval=1.5h30m --timeout=1us CMD x\n", "dockerfile parse error line 2: Interval \"timeout\" cannot be less than 1ms"),
        ("FROM busybox\nHEALTHCHECK --retries=0 CMD x\n", "dockerfile parse error line 2: --retries must be at least 1 (not 0)"),
        ("FROM busybox\nHEALTHCHECK --retries=-1 CMD x\n", "dockerfile parse error line 2: --retries must be at least 1 (not -1)"),
        ("FROM busybox\nHEALTHCHECK --retries=x CMD x\n", "dockerfile parse error line 2: strconv.ParseInt: parsing \"x\": invalid syntax"),
        ("FROM busybox\nHEALTHCHECK --retries=99999999999 CMD x\n", "dockerfile parse error line 2: strconv.ParseInt: parsing \"99999999999\": value out of range"),
        ("FROM busybox\nHEALTHCHECK --start-interval=1s CMD x\n", "dockerfile parse error line 2: Unknown flag: start-interval"),
        ("FROM busybox\nHEALTHCHECK --interval=1s --interval=2s CMD x\n", "dockerfile parse error line 2: Duplicate flag specified: interval"),
        ("FROM busybox\nHEALTHCHECK NONE x\n", "dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments"),
        ("FROM busybox\nHEALTHCHECK CMD\n", "dockerfile parse error line 2: Missing command after HEALTHCHECK CMD"),
        ("FROM busybox\nHEALTHCHECK FOO x\n", "dockerfile parse error line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)"),
        ("FROM busybox\nHEALTHCHECK\n", "dockerfile parse error line 2: HEALTHCHECK requires at least one argument"),
    ]

    @Test(arguments: cases)
    func refusesWithDockerdsText(_ text: String, _ message: String) {
        #expect(throws: DockerfileError(message)) { try Dockerfile.parse(text) }
    }

    @Test func emptyFileMessageNamesTheFile() {
        #expect(throws: DockerfileError("the Dockerfile (build/Dockerfile.dev) cannot be empty")) {
            try Dockerfile.parse("", name: "build/Dockerfile.dev")
        }
    }

    @Test func overlongLineStopsTheScanner() {
        let long = "FROM busybox\nRUN " + String(repeating: "x", count: 70_000) + "\n"
        #expect(throws: DockerfileError("failed to parse Dockerfile: dockerfile line greater than max allowed size of 65535")) {
            try Dockerfile.parse(long)
        }
    }

    @Test func dispatchTimeChecks() throws {
        let dockerfile = try Dockerfile.parse(
            "FROM busybox AS a\nRUN --mount=type=cache,target=/x echo\nCOPY --chmod=755 f /x\nCOPY --chmod= f /x\nFROM busybox as A\n")
        let commands = dockerfile.stages[0].commands
        #expect(throws: DockerfileError("the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled")) {
            try commands[0].checkLegacySupport()
        }
        #expect(throws: DockerfileError.requiresBuildKit(flag: "chmod")) { try commands[1].checkLegacySupport() }
        try commands[2].checkLegacySupport()
        try dockerfile.checkStageName(at: 0)
        #expect(throws: DockerfileError("a stage name already used")) { try dockerfile.checkStageName(at: 1) }
    }
}
