/// A Dockerfile (or `.dockerignore`, or a word to expand) that cannot be read, carrying dockerd's
/// own message text, e.g. `dockerfile parse error line 3: unknown instruction: FROBNICATE`.
public struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message exactly as dockerd 20.10's legacy builder writes it.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension DockerfileError {
    /// An error of the line-level parser, which dockerd reports without a line number.
    static func syntax(_ inner: String) -> DockerfileError {
        DockerfileError("failed to parse Dockerfile: " + inner)
    }

    /// An error of one instruction, which dockerd reports with the line where it starts.
    static func instruction(line: Int, _ inner: DockerfileError) -> DockerfileError {
        DockerfileError("dockerfile parse error line \(line): \(inner.message)")
    }

    /// dockerd's text when an instruction comes before any `FROM` (other than `ARG`), or there is no `FROM`.
    public static let noBuildStage = DockerfileError("no build stage in current context")

    /// dockerd's text, at dispatch time, for a flag only BuildKit implements (`RUN --mount`, `COPY --chmod`).
    public static func requiresBuildKit(flag: String) -> DockerfileError {
        DockerfileError(
            "the --\(flag) option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
                + "to learn how to build images with BuildKit enabled")
    }

    /// dockerd's text, at dispatch time, for a second stage with an already used name.
    public static func stageNameUsed(_ name: String) -> DockerfileError {
        DockerfileError("\(name) stage name already used")
    }
}
