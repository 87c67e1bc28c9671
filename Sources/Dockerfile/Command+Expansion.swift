extension Command {
    /// The command with its words expanded as dockerd's legacy builder expands them before
    /// dispatching (`ShellWord.expand` on each word, `ShellWord.expandWords` for `EXPOSE`).
    ///
    /// Expanded: `ADD`/`COPY` sources, destination and `--chown` (not `COPY --from`), `ARG` names and
    /// defaults, `ENV`/`LABEL` keys and values, `EXPOSE`, `FROM` image and `--platform` (with the meta
    /// `ARG`s), `STOPSIGNAL`, `USER`, `VOLUME`, `WORKDIR`. `RUN`, `CMD`, `ENTRYPOINT`, `SHELL`,
    /// `HEALTHCHECK`, `ONBUILD` and `MAINTAINER` are returned unchanged. Every word sees the same
    /// variables: `ENV a=1 b=$a` gives `b` the value `a` had before the instruction.
    /// - Parameter lookup: a variable's value, nil when unset.
    public func expanded(escapeToken: Character, lookup: (String) -> String?) throws(DockerfileError) -> Command {
        func word(_ text: String) throws(DockerfileError) -> String {
            try ShellWord.expand(text, escapeToken: escapeToken, lookup: lookup)
        }
        func optionalWord(_ text: String?) throws(DockerfileError) -> String? {
            guard let text else { return nil }
            return try word(text)
        }
        func all(_ texts: [String]) throws(DockerfileError) -> [String] {
            var result: [String] = []
            for text in texts { result.append(try word(text)) }
            return result
        }
        func pairs(_ pairs: [KeyValue]) throws(DockerfileError) -> [KeyValue] {
            var result: [KeyValue] = []
            for pair in pairs { result.append(KeyValue(key: try word(pair.key), value: try word(pair.value))) }
            return result
        }
        func files(_ copy: FileCopy) throws(DockerfileError) -> FileCopy {
            FileCopy(
                sources: try all(copy.sources), destination: try word(copy.destination),
                chown: try optionalWord(copy.chown), from: copy.from)
        }
        switch self {
        case .from(let image, let stageName, let platform):
            return .from(image: try word(image), stageName: stageName, platform: try optionalWord(platform))
        case .env(let list):
            return .env(try pairs(list))
        case .label(let list):
            return .label(try pairs(list))
        case .arg(let declarations):
            var result: [ArgDeclaration] = []
            for declaration in declarations {
                result.append(
                    ArgDeclaration(
                        name: try word(declaration.name), defaultValue: try optionalWord(declaration.defaultValue)))
            }
            return .arg(result)
        case .copy(let copy):
            return .copy(try files(copy))
        case .add(let copy):
            return .add(try files(copy))
        case .expose(let ports):
            var result: [String] = []
            for port in ports {
                result += try ShellWord.expandWords(port, escapeToken: escapeToken, lookup: lookup)
            }
            return .expose(result)
        case .volume(let volumes):
            return .volume(try all(volumes))
        case .user(let user):
            return .user(try word(user))
        case .workdir(let path):
            return .workdir(try word(path))
        case .stopSignal(let signal):
            return .stopSignal(try word(signal))
        case .run, .cmd, .entrypoint, .shell, .healthcheck, .onbuild, .maintainer:
            return self
        }
    }
}
