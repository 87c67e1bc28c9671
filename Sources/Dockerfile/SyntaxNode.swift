/// One instruction as Docker's line parser leaves it: the keyword, its flags and its argument
/// words, before the instruction-specific checks.
struct SyntaxNode {
    /// The instruction keyword, lower-cased.
    var keyword: String
    /// The instruction's text, continuation lines joined.
    var original: String
    var flags: [String]
    var arguments: [String]
    /// Whether the arguments were given in JSON (exec) form.
    var isJSON: Bool
    /// The 1-based line where the instruction starts.
    var line: Int

    /// Splits one logical line (Docker's `newNodeFromLine`). Unknown keywords are kept, with no
    /// arguments, for the instruction parser to refuse.
    init(_ text: Substring, line: Int, escape: Unicode.Scalar) throws(DockerfileError) {
        let parts = GoText.splitTokens(GoText.trim(text), limit: 2)
        keyword = String(parts[0]).lowercased()
        original = String(text)
        self.line = line
        var rest: Substring = ""
        flags = []
        if parts.count == 2 {
            (rest, flags) = BuilderFlags.extract(parts[1])
            rest = GoText.trim(rest)
        }
        isJSON = false
        switch keyword {
        case "add", "copy", "volume":
            (arguments, isJSON) = try ArgumentSyntax.maybeJSONToList(rest)
        case "cmd", "entrypoint", "run", "shell":
            (arguments, isJSON) = try ArgumentSyntax.maybeJSON(rest)
        case "healthcheck":
            (arguments, isJSON) = try ArgumentSyntax.healthcheck(rest)
        case "arg":
            arguments = ArgumentSyntax.words(rest, escape: escape)
        case "env", "label":
            arguments = try ArgumentSyntax.nameValues(rest, instruction: keyword.uppercased(), escape: escape)
        case "expose", "from":
            arguments = ArgumentSyntax.whitespaceDelimited(rest)
        case "maintainer", "stopsignal", "user", "workdir":
            arguments = rest.isEmpty ? [] : [String(rest)]
        case "onbuild":
            if rest.isEmpty {
                arguments = []
            } else {
                let trigger = try SyntaxNode(rest, line: line, escape: escape)
                arguments = [trigger.keyword] + trigger.arguments
            }
        default:
            arguments = []
        }
    }
}
