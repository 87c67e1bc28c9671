extension Instruction {
    /// Checks one line-parsed instruction as dockerd's `instructions` package does. Errors carry the
    /// bare message; the caller adds the line.
    init(_ node: SyntaxNode) throws(DockerfileError) {
        var flags = BuilderFlags(node.flags)
        let arguments = node.arguments
        let name = node.keyword.uppercased()
        var buildKitFlag: String?
        let command: Command
        switch node.keyword {
        case "env", "label":
            try flags.parse()
            let pairs = try Self.keyValues(arguments, instruction: name)
            command = node.keyword == "env" ? .env(pairs) : .label(pairs)
        case "maintainer":
            try Self.require(arguments.count == 1, exactlyOne: name)
            try flags.parse()
            command = .maintainer(arguments[0])
        case "add", "copy":
            guard arguments.count >= 2, let destination = arguments.last else {
                throw DockerfileError(
                    "\(name) requires at least two arguments, but only one was provided. "
                        + "Destination could not be determined")
            }
            flags.add("chown")
            flags.add("chmod")
            if node.keyword == "copy" { flags.add("from") }
            try flags.parse()
            if let chmod = flags.value("chmod"), !chmod.isEmpty { buildKitFlag = "chmod" }
            let copy = FileCopy(
                sources: Array(arguments.dropLast()), destination: destination,
                chown: Self.nonEmpty(flags.value("chown")), from: Self.nonEmpty(flags.value("from")))
            command = node.keyword == "copy" ? .copy(copy) : .add(copy)
        case "from":
            let stageName = try Self.stageName(arguments)
            flags.add("platform")
            try flags.parse()
            command = .from(image: arguments[0], stageName: stageName, platform: Self.nonEmpty(flags.value("platform")))
        case "onbuild":
            command = .onbuild(try Self.onbuildTrigger(node, flags: &flags))
        case "workdir", "user":
            try Self.require(arguments.count == 1, exactlyOne: name)
            try flags.parse()
            command = node.keyword == "user" ? .user(arguments[0]) : .workdir(arguments[0])
        case "run":
            flags.add("mount", .strings)
            try flags.parse()
            for mount in flags.values["mount"] ?? [] { try RunMount.validate(mount) }
            buildKitFlag = flags.used.first
            command = .run(Self.commandLine(node))
        case "cmd":
            try flags.parse()
            command = .cmd(Self.commandLine(node))
        case "entrypoint":
            try flags.parse()
            command = .entrypoint(arguments.isEmpty ? .exec([]) : Self.commandLine(node))
        case "healthcheck":
            command = .healthcheck(try Self.healthcheck(node, flags: &flags))
        case "expose":
            guard !arguments.isEmpty else { throw Self.atLeastOne(name) }
            try flags.parse()
            command = .expose(arguments)
        case "volume":
            guard !arguments.isEmpty else { throw Self.atLeastOne(name) }
            try flags.parse()
            let volumes = arguments.map(GoText.trim)
            if volumes.contains(where: \.isEmpty) {
                throw DockerfileError("VOLUME specified can not be an empty string")
            }
            command = .volume(volumes)
        case "stopsignal":
            // dockerd does not read STOPSIGNAL's flags at all.
            try Self.require(arguments.count == 1, exactlyOne: name)
            command = .stopSignal(arguments[0])
        case "arg":
            command = .arg(try Self.argDeclarations(arguments))
        case "shell":
            try flags.parse()
            guard !arguments.isEmpty else { throw Self.atLeastOne(name) }
            guard node.isJSON else { throw DockerfileError("SHELL requires the arguments to be in JSON form") }
            command = .shell(arguments)
        default:
            throw DockerfileError("unknown instruction: \(name)")
        }
        self.init(
            line: node.line, original: GoText.trim(node.original), command: command, flagRequiringBuildKit: buildKitFlag)
    }

    private static func atLeastOne(_ name: String) -> DockerfileError {
        DockerfileError("\(name) requires at least one argument")
    }

    private static func require(_ condition: Bool, exactlyOne name: String) throws(DockerfileError) {
        if !condition { throw DockerfileError("\(name) requires exactly one argument") }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value?.isEmpty == false ? value : nil
    }

    private static func keyValues(_ words: [String], instruction: String) throws(DockerfileError) -> [KeyValue] {
        guard !words.isEmpty else { throw atLeastOne(instruction) }
        guard words.count % 2 == 0 else { throw DockerfileError("Bad input to \(instruction), too many arguments") }
        var pairs: [KeyValue] = []
        for index in stride(from: 0, to: words.count, by: 2) {
            guard !words[index].isEmpty else { throw DockerfileError("\(instruction) names can not be blank") }
            pairs.append(KeyValue(key: words[index], value: words[index + 1]))
        }
        return pairs
    }

    private static func argDeclarations(_ words: [String]) throws(DockerfileError) -> [ArgDeclaration] {
        guard !words.isEmpty else { throw atLeastOne("ARG") }
        var declarations: [ArgDeclaration] = []
        for word in words {
            guard let equals = word.firstIndex(of: "=") else {
                declarations.append(ArgDeclaration(name: word))
                continue
            }
            guard equals != word.startIndex else { throw DockerfileError("ARG names can not be blank") }
            declarations.append(
                ArgDeclaration(name: String(word[..<equals]), defaultValue: String(word[word.index(after: equals)...])))
        }
        return declarations
    }

    /// `FROM image` or `FROM image AS name`; the name lower-cased and checked.
    private static func stageName(_ words: [String]) throws(DockerfileError) -> String? {
        if words.count == 3, words[1].lowercased() == "as" {
            let name = words[2].lowercased()
            guard isValidStageName(name) else {
                throw DockerfileError(
                    "invalid name for build stage: \(GoText.quote(words[2])), "
                        + "name can't start with a number or contain symbols")
            }
            return name
        }
        guard words.count == 1 else { throw DockerfileError("FROM requires either one or three arguments") }
        return nil
    }

    /// `^[a-z][a-z0-9-_.]*$`.
    private static func isValidStageName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    private static func commandLine(_ node: SyntaxNode) -> CommandForm {
        node.isJSON ? .exec(node.arguments) : .shell(node.arguments.joined(separator: " "))
    }

    /// The trigger text after `ONBUILD`, refusing the triggers dockerd refuses.
    private static func onbuildTrigger(_ node: SyntaxNode, flags: inout BuilderFlags) throws(DockerfileError)
        -> String
    {
        guard let trigger = node.arguments.first else { throw atLeastOne("ONBUILD") }
        try flags.parse()
        let keyword = GoText.trim(trigger).uppercased()
        switch keyword {
        case "ONBUILD":
            throw DockerfileError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
        case "MAINTAINER", "FROM":
            throw DockerfileError("\(keyword) isn't allowed as an ONBUILD trigger")
        default:
            break
        }
        // The regular expression `(?i)^\s*ONBUILD\s*` removed from the text.
        var text = node.original.unicodeScalars.drop(while: isRegexSpace)
        if String(String.UnicodeScalarView(text.prefix(7))).uppercased() == "ONBUILD" {
            text = text.dropFirst(7).drop(while: isRegexSpace)
        }
        return String(String.UnicodeScalarView(text))
    }

    private static func isRegexSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{0C}" || scalar == "\r"
    }

    private static func healthcheck(_ node: SyntaxNode, flags: inout BuilderFlags) throws(DockerfileError)
        -> Healthcheck
    {
        guard let kind = node.arguments.first?.uppercased() else { throw atLeastOne("HEALTHCHECK") }
        let rest = Array(node.arguments.dropFirst())
        if kind == "NONE" {
            // dockerd does not read the flags of HEALTHCHECK NONE.
            guard rest.isEmpty else { throw DockerfileError("HEALTHCHECK NONE takes no arguments") }
            return Healthcheck(test: ["NONE"])
        }
        for name in ["interval", "timeout", "start-period", "retries"] { flags.add(name) }
        try flags.parse()
        guard kind == "CMD" else {
            throw DockerfileError("Unknown type \(GoText.quote(kind)) in HEALTHCHECK (try CMD)")
        }
        let command = node.isJSON ? rest : (rest.isEmpty ? [] : [rest.joined(separator: " ")])
        guard !command.isEmpty else { throw DockerfileError("Missing command after HEALTHCHECK CMD") }
        var check = Healthcheck(test: [node.isJSON ? "CMD" : "CMD-SHELL"] + command)
        check.interval = try interval(flags, "interval")
        check.timeout = try interval(flags, "timeout")
        check.startPeriod = try interval(flags, "start-period")
        if let text = nonEmpty(flags.value("retries")) {
            let retries = try GoInteger.parseInt32(text)
            guard retries >= 1 else { throw DockerfileError("--retries must be at least 1 (not \(retries))") }
            check.retries = Int(retries)
        }
        return check
    }

    /// A duration flag: nil when absent or empty, else at least one millisecond.
    private static func interval(_ flags: BuilderFlags, _ name: String) throws(DockerfileError) -> Int64? {
        guard let text = nonEmpty(flags.value(name)) else { return nil }
        let duration = try GoDuration.parse(text)
        guard duration >= 1_000_000 else { throw DockerfileError("Interval \"\(name)\" cannot be less than 1ms") }
        return duration
    }
}
