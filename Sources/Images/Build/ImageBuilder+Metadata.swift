import Dockerfile
import Foundation
import Messages

/// The instructions that only change an image's configuration, as the legacy builder applies them and
/// writes them into the history (`/bin/sh -c #(nop)  ENV A=1`).
extension ImageBuilder {
    static func apply(_ command: Command, to document: inout ImageDocument) throws {
        switch command {
        case .env(let pairs):
            var env = document.config.Env ?? []
            for pair in pairs {
                let entry = pair.key + "=" + pair.value
                if let index = env.firstIndex(where: { $0.hasPrefix(pair.key + "=") || $0 == pair.key }) { env[index] = entry } else { env.append(entry) }
            }
            document.config.Env = env
        case .label(let pairs):
            var labels = document.config.Labels ?? [:]
            for pair in pairs { labels[pair.key] = pair.value }
            document.config.Labels = labels
        case .cmd(let line):
            document.config.Cmd = StringList(shellWords(line, document))
        case .entrypoint(let line):
            document.config.Entrypoint = StringList(shellWords(line, document))
            // A new entrypoint drops the command an earlier stage or base image set, as Docker does.
            document.config.Cmd = nil
        case .shell(let words):
            document.config.Shell = words
        case .expose(let ports):
            var exposed = document.config.ExposedPorts ?? [:]
            for spec in ports {
                for port in try exposedPorts(spec) { exposed[port] = .object([]) }
            }
            document.config.ExposedPorts = exposed
        case .volume(let paths):
            var volumes = document.config.Volumes ?? [:]
            for path in paths {
                guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw EngineError.invalidArgument("VOLUME specified can not be an empty string") }
                volumes[path] = .object([])
            }
            document.config.Volumes = volumes
        case .user(let user):
            document.config.User = user
        case .workdir(let path):
            document.config.WorkingDir = CleanPath.clean(path.hasPrefix("/") ? path : (document.config.WorkingDir ?? "/") + "/" + path)
        case .stopSignal(let signal):
            _ = try Signals.parse(signal)
            document.config.StopSignal = signal
        case .healthcheck(let check):
            var health = HealthConfig()
            health.Test = check.test
            health.Interval = check.interval
            health.Timeout = check.timeout
            health.StartPeriod = check.startPeriod
            health.Retries = check.retries
            document.config.Healthcheck = health
        case .onbuild(let trigger):
            document.config.OnBuild = (document.config.OnBuild ?? []) + [trigger]
        case .maintainer(let name):
            document.author = name
        case .from, .run, .copy, .add, .arg:
            break
        }
    }

    /// The ports one `EXPOSE` word names (`8000-8002/udp`: three), as `port/proto`; dockerd's errors.
    static func exposedPorts(_ spec: String) throws -> [String] {
        let parts = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let proto = parts.count > 1 ? parts[1].lowercased() : "tcp"
        guard ["tcp", "udp", "sctp"].contains(proto) else { throw EngineError.invalidArgument("Invalid proto: \(parts[1])") }
        let bounds = parts[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { UInt16($0) }
        guard let first = bounds.first ?? nil, first > 0, let last = bounds.count > 1 ? bounds[1] : first, last >= first else {
            throw EngineError.invalidArgument("Invalid containerPort: \(parts[0])")
        }
        return (first...last).map { "\($0)/\(proto)" }
    }

    /// The exec form as it is; the shell form through the stage's `SHELL` (default `/bin/sh -c`).
    static func shellWords(_ line: CommandForm, _ document: ImageDocument) -> [String] {
        switch line {
        case .exec(let words): words
        case .shell(let text): (document.config.Shell ?? ["/bin/sh", "-c"]) + (text.isEmpty ? [] : [text])
        }
    }

    /// The history text of a metadata instruction, in dockerd's words; a shell form is shown through
    /// the stage's `shell`.
    static func historyText(_ command: Command, shell: [String]? = nil) -> String {
        switch command {
        case .env(let pairs): "ENV " + pairs.map { $0.key + "=" + $0.value }.joined(separator: " ")
        case .label(let pairs): "LABEL " + pairs.map { $0.key + "=" + $0.value }.joined(separator: " ")
        case .cmd(let line): "CMD " + goQuoted(line, shell: shell)
        case .entrypoint(let line): "ENTRYPOINT " + goQuoted(line, shell: shell)
        case .shell(let words): "SHELL [" + words.joined(separator: " ") + "]"
        case .expose(let ports): "EXPOSE " + ports.sorted().joined(separator: " ")
        case .volume(let paths): "VOLUME [" + paths.joined(separator: " ") + "]"
        case .user(let user): "USER " + user
        case .workdir(let path): "WORKDIR " + path
        case .stopSignal(let signal): "STOPSIGNAL " + signal
        case .healthcheck(let check): "HEALTHCHECK " + healthText(check)
        case .onbuild(let trigger): "ONBUILD " + trigger
        case .maintainer(let name): "MAINTAINER " + name
        case .from, .run, .copy, .add, .arg: ""
        }
    }

    /// Go's `%q` of dockerd's HealthConfig: `&{["CMD-SHELL" "true"] "5s" "0s" "0s" '\x00'}`.
    static func healthText(_ check: Healthcheck) -> String {
        let durations: [String] = [check.interval, check.timeout, check.startPeriod].map { GoQuoted.duration($0 ?? 0) }
        let fields: [String] = [GoQuoted.list(check.test)] + durations + [GoQuoted.rune(check.retries ?? 0)]
        return "&{" + fields.joined(separator: " ") + "}"
    }

    /// A command as Go's `%q` prints a string slice: `["cat" "/f.txt"]`.
    static func goQuoted(_ line: CommandForm, shell: [String]? = nil) -> String {
        var document = ImageDocument.scratch
        document.config.Shell = shell
        return GoQuoted.list(shellWords(line, document))
    }
}
