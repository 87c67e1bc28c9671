import Messages

extension LogConfig {
    /// The configuration a container gets from its own `HostConfig.LogConfig` (nil or an empty type = none
    /// asked for) and the daemon's `log-driver` and `log-opts`, merged as dockerd merges them: the daemon's
    /// driver when the container names none; the daemon's options under the container's when both name
    /// the same driver; the daemon's `cache-*` options always. Check the result with ``LogDriver/init(_:)``.
    public static func merged(_ container: LogConfig?, daemonDriver: String, daemonOptions: [String: String]) -> LogConfig {
        let type = container.map(\.Type).flatMap { $0.isEmpty ? nil : $0 } ?? daemonDriver
        var options = container?.Config ?? [:]
        for (key, value) in daemonOptions where type == daemonDriver || key.hasPrefix("cache-") {
            options[key] = options[key] ?? value
        }
        return LogConfig(type: type, config: options)
    }
}
