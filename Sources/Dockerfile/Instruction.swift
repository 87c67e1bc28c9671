/// One instruction of a Dockerfile, where it is and how dockerd prints it.
public struct Instruction: Sendable, Equatable {
    /// The 1-based line where the instruction starts.
    public var line: Int
    /// The text dockerd prints after `Step N/M : `: the instruction's lines joined without their
    /// continuation characters, comment lines dropped, spaces at both ends trimmed.
    public var original: String
    public var command: Command
    /// A flag the legacy builder accepts while parsing but refuses when it dispatches the step
    /// (`RUN --mount`, `COPY/ADD --chmod`); see `checkLegacySupport()`.
    public var flagRequiringBuildKit: String?

    public init(line: Int, original: String, command: Command, flagRequiringBuildKit: String? = nil) {
        self.line = line
        self.original = original
        self.command = command
        self.flagRequiringBuildKit = flagRequiringBuildKit
    }

    /// Throws dockerd's dispatch-time error (after the Step line) for a flag only BuildKit implements.
    public func checkLegacySupport() throws(DockerfileError) {
        if let flag = flagRequiringBuildKit {
            throw .requiresBuildKit(flag: flag)
        }
    }
}
