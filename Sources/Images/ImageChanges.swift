import Foundation
import Messages

/// The Dockerfile instructions `docker import -c` and `docker commit -c` may apply to an image's
/// configuration: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR.
struct ImageChanges {
    private(set) var config: [String: Any]

    init(base: [String: Any] = [:]) { config = base }

    /// Applies every change in order; a clear 400 names a change that is not allowed or not valid.
    mutating func apply(_ changes: [String]) throws(EngineError) {
        for change in changes where !change.trimmingCharacters(in: .whitespaces).isEmpty {
            try apply(change)
        }
    }

    private mutating func apply(_ change: String) throws(EngineError) {
        let trimmed = change.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let instruction = parts[0].uppercased()
        let argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch instruction {
        case "CMD": config["Cmd"] = Self.command(argument)
        case "ENTRYPOINT": config["Entrypoint"] = Self.command(argument)
        case "USER": config["User"] = argument
        case "WORKDIR": config["WorkingDir"] = argument
        case "STOPSIGNAL": config["StopSignal"] = argument
        case "ONBUILD": config["OnBuild"] = ((config["OnBuild"] as? [String]) ?? []) + [argument]
        case "ENV":
            var env = (config["Env"] as? [String]) ?? []
            for (key, value) in try Self.pairs(argument, instruction: instruction) {
                env.removeAll { $0.hasPrefix(key + "=") }
                env.append(key + "=" + value)
            }
            config["Env"] = env
        case "LABEL":
            var labels = (config["Labels"] as? [String: String]) ?? [:]
            for (key, value) in try Self.pairs(argument, instruction: instruction) { labels[key] = value }
            config["Labels"] = labels
        case "EXPOSE":
            var ports = (config["ExposedPorts"] as? [String: Any]) ?? [:]
            for port in argument.split(separator: " ") {
                guard port.wholeMatch(of: #/[0-9]{1,5}(-[0-9]{1,5})?(/(tcp|udp|sctp))?/#) != nil else {
                    throw .invalidArgument("invalid containerPort: \(port)")
                }
                ports[port.contains("/") ? String(port) : port + "/tcp"] = [String: Any]()
            }
            config["ExposedPorts"] = ports
        case "VOLUME":
            var volumes = (config["Volumes"] as? [String: Any]) ?? [:]
            for volume in Self.list(argument) { volumes[volume] = [String: Any]() }
            config["Volumes"] = volumes
        default:
            throw .invalidArgument("\(instruction) is not a valid change command")
        }
    }

    /// The exec form (`["sh", "-c", "x"]`) as is; the shell form through `/bin/sh -c`.
    private static func command(_ argument: String) -> [String] {
        if let data = argument.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [String] { return list }
        return ["/bin/sh", "-c", argument]
    }

    private static func list(_ argument: String) -> [String] {
        if let data = argument.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [String] { return list }
        return argument.split(separator: " ").map(String.init)
    }

    /// `k=v k2="v 2"`, or the legacy `k v` form.
    private static func pairs(_ argument: String, instruction: String) throws(EngineError) -> [(String, String)] {
        guard argument.contains("=") else {
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .invalidArgument("\(instruction) requires a key and a value: \(argument)") }
            return [(parts[0], parts[1])]
        }
        var result: [(String, String)] = []
        var rest = Substring(argument)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else {
                if rest.isEmpty { break }
                throw .invalidArgument("\(instruction) expects key=value pairs: \(argument)")
            }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest = rest.dropFirst()
                guard let end = rest.firstIndex(of: quote) else { throw .invalidArgument("unterminated quote in \(instruction): \(argument)") }
                value = String(rest[..<end])
                rest = rest[rest.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            guard !key.isEmpty else { throw .invalidArgument("\(instruction) names an empty key: \(argument)") }
            result.append((key, value))
        }
        return result
    }
}
