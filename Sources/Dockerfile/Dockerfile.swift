/// A parsed Dockerfile in the language of Docker's legacy builder (dockerd 20.10's `POST /build`
/// with BuildKit off): parser directives, meta `ARG`s before the first `FROM`, and stages.
///
/// Parsing checks what dockerd checks before it runs any step, with its messages. Checks dockerd
/// makes while dispatching stay with the builder: `Command.expanded`, `Instruction.checkLegacySupport`
/// and `checkStageName(at:)` give their texts. No container or file system knowledge.
public struct Dockerfile: Sendable, Equatable {
    /// `\` by default, or `` ` `` from an `# escape=` directive.
    public var escapeToken: Character
    /// Lines dockerd prints before the first step (empty continuation lines); `# syntax=` is ignored.
    public var warnings: [String]
    /// The `ARG`s before the first `FROM`, in order.
    public var metaArgs: [ArgDeclaration]
    /// The same, as the instructions that declare them (dockerd prints each as a step).
    public var metaArgInstructions: [Instruction]
    public var stages: [Stage]

    public init(
        escapeToken: Character = "\\", warnings: [String] = [], metaArgs: [ArgDeclaration] = [],
        metaArgInstructions: [Instruction] = [], stages: [Stage] = []
    ) {
        self.escapeToken = escapeToken
        self.warnings = warnings
        self.metaArgs = metaArgs
        self.metaArgInstructions = metaArgInstructions
        self.stages = stages
    }

    /// Parses a Dockerfile's text (a leading UTF-8 byte-order mark is dropped).
    ///
    /// Errors carry dockerd's messages: line-level syntax errors as `failed to parse Dockerfile: …`,
    /// instruction errors as `dockerfile parse error line N: …`, an instruction before the first
    /// `FROM` (other than `ARG`) or no `FROM` at all as `no build stage in current context`.
    /// - Parameter name: the Dockerfile's name in the build context, for the message about an empty file.
    public static func parse(_ text: String, name: String = "Dockerfile") throws(DockerfileError) -> Dockerfile {
        guard !text.isEmpty else { throw DockerfileError("the Dockerfile (\(name)) cannot be empty") }
        let syntax = try DockerfileSyntax.parse(text)
        var dockerfile = Dockerfile(escapeToken: Character(syntax.escape), warnings: syntax.warnings)
        for node in syntax.nodes {
            let instruction: Instruction
            do {
                instruction = try Instruction(node)
            } catch {
                throw .instruction(line: node.line, error)
            }
            switch instruction.command {
            case .from(_, let stageName, _):
                dockerfile.stages.append(Stage(from: instruction, name: stageName))
            case .arg(let declarations) where dockerfile.stages.isEmpty:
                dockerfile.metaArgs += declarations
                dockerfile.metaArgInstructions.append(instruction)
            default:
                guard !dockerfile.stages.isEmpty else { throw .noBuildStage }
                dockerfile.stages[dockerfile.stages.count - 1].commands.append(instruction)
            }
        }
        // dockerd itself crashes on a file of only ARGs; refusing it is the closest sane answer.
        guard !dockerfile.stages.isEmpty else { throw .noBuildStage }
        return dockerfile
    }

    /// Throws dockerd's error when stage `index` reuses the name of an earlier stage. dockerd checks
    /// this when it reaches that stage, after running the earlier ones.
    public func checkStageName(at index: Int) throws(DockerfileError) {
        guard stages.indices.contains(index), let name = stages[index].name else { return }
        if stages[..<index].contains(where: { $0.name == name }) { throw .stageNameUsed(name) }
    }

    /// The number of steps dockerd prints (`Step N/M`): meta `ARG`s, `FROM`s and the instructions of every stage.
    public var stepCount: Int {
        metaArgInstructions.count + stages.reduce(0) { $0 + 1 + $1.commands.count }
    }
}
