import Messages

/// What `docker create` derives before anything exists: the image's defaults merged into the request,
/// the command, and the host settings that cannot work.
enum ContainerSetup {
    /// Fills what the request leaves open from the image's configuration, as Docker does: environment
    /// and labels merge (the request wins), exposed ports and volumes add up, and the image's command
    /// applies only when the request names no entrypoint.
    static func merge(_ request: ContainerConfig, image: ContainerConfig) -> ContainerConfig {
        var config = request
        if config.User?.isEmpty ?? true { config.User = image.User }
        config.Env = mergedEnv(image: image.Env ?? [], request: request.Env ?? [])
        if let ports = image.ExposedPorts { config.ExposedPorts = ports.merging(config.ExposedPorts ?? [:]) { _, new in new } }
        if let volumes = image.Volumes { config.Volumes = volumes.merging(config.Volumes ?? [:]) { _, new in new } }
        if let labels = image.Labels { config.Labels = labels.merging(config.Labels ?? [:]) { _, new in new } }
        if config.WorkingDir?.isEmpty ?? true { config.WorkingDir = image.WorkingDir }
        if config.StopSignal?.isEmpty ?? true { config.StopSignal = image.StopSignal }
        if config.Shell == nil { config.Shell = image.Shell }
        if config.Healthcheck == nil { config.Healthcheck = image.Healthcheck }
        if config.Entrypoint?.values.isEmpty ?? true {
            if config.Cmd?.values.isEmpty ?? true {
                config.Cmd = image.Cmd
                config.ArgsEscaped = image.ArgsEscaped
            }
            if config.Entrypoint == nil { config.Entrypoint = image.Entrypoint }
        }
        return config
    }

    /// The process's argv: entrypoint then cmd (an entrypoint of `[""]` — `--entrypoint ""` — clears it).
    static func command(_ config: ContainerConfig) throws -> [String] {
        let entrypoint = (config.Entrypoint?.values ?? []).filter { !$0.isEmpty }
        let command = entrypoint + (config.Cmd?.values ?? [])
        guard !command.isEmpty else { throw EngineError.invalidArgument("No command specified") }
        return command
    }

    /// Rejects host settings berthd cannot honour, with Docker's messages.
    static func validate(_ host: HostConfig) throws {
        let policy = host.RestartPolicy?.Name ?? ""
        switch policy {
        case "", "no", "always", "unless-stopped", "on-failure": break
        default: throw EngineError.invalidArgument("invalid restart policy '\(policy)'")
        }
        if let retries = host.RestartPolicy?.MaximumRetryCount, retries != 0 {
            guard policy == "on-failure" else {
                throw EngineError.invalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'")
            }
            guard retries > 0 else { throw EngineError.invalidArgument("invalid restart policy: maximum retry count cannot be negative") }
        }
        if host.AutoRemove == true, !["", "no"].contains(policy) {
            throw EngineError.invalidArgument("conflicting options: cannot specify both --restart and --rm")
        }
    }

    /// Rejects a requested healthcheck as dockerd does: a duration that is set is at least 1 ms, and
    /// retries are not negative. Durations as long as `Int64` allows are kept (waits are clamped to
    /// ``Duration/longestWait`` where they are armed).
    static func validate(_ health: HealthConfig?) throws {
        guard let health else { return }
        let durations = [("Interval", health.Interval), ("Timeout", health.Timeout), ("StartPeriod", health.StartPeriod), ("StartInterval", health.StartInterval)]
        for case let (name, value?) in durations where value != 0 && value < 1_000_000 {
            throw EngineError.invalidArgument("\(name) in Healthcheck cannot be less than 1ms")
        }
        if let retries = health.Retries, retries < 0 { throw EngineError.invalidArgument("Retries in Healthcheck cannot be negative") }
    }

    private static func mergedEnv(image: [String], request: [String]) -> [String] {
        var merged = image
        for entry in request {
            let key = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            if let index = merged.firstIndex(where: { ($0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0) == key }) {
                merged[index] = entry
            } else {
                merged.append(entry)
            }
        }
        return merged
    }
}
