import Foundation
import Messages

/// Docker's container list filters (`docker ps --filter`), also used by prune.
struct ContainerFilter {
    private let filters: [String: [String]]

    static let listKeys: Set<String> = [
        "status", "label", "label!", "name", "id", "ancestor", "exited", "before", "since", "health", "network", "volume",
        "publish", "expose", "isolation", "is-task", "until",
    ]

    init(_ filters: [String: [String]], allowed: Set<String> = listKeys) throws {
        for key in filters.keys where !allowed.contains(key) {
            throw EngineError.invalidArgument("invalid filter '\(key)'")
        }
        for status in filters["status"] ?? [] where ContainerState.Status(rawValue: status) == nil {
            throw EngineError.invalidArgument("invalid filter 'status=\(status)'")
        }
        for health in filters["health"] ?? [] where !["starting", "healthy", "unhealthy", "none"].contains(health) {
            throw EngineError.invalidArgument("invalid filter 'health=\(health)'")
        }
        for code in filters["exited"] ?? [] where Int(code) == nil {
            throw EngineError.invalidArgument("invalid filter 'exited=\(code)'")
        }
        for time in filters["until"] ?? [] where UnixTime.parseFilterTime(time) == nil {
            throw EngineError.invalidArgument("invalid filter 'until=\(time)'")
        }
        self.filters = filters
    }

    /// Whether `record` passes every filter; `all` resolves `before`/`since` references.
    func matches(_ record: ContainerRecord, among all: [String: ContainerRecord]) -> Bool {
        for (key, values) in filters where !values.isEmpty {
            // Docker ANDs the values of `label` and `label!` (Compose lists a service's containers by
            // several labels at once) and ORs those of every other key.
            let passes = key == "label" || key == "label!"
                ? values.allSatisfy { matches(record, key: key, value: $0, all: all) }
                : values.contains { matches(record, key: key, value: $0, all: all) }
            guard passes else { return false }
        }
        return true
    }

    private func matches(_ record: ContainerRecord, key: String, value: String, all: [String: ContainerRecord]) -> Bool {
        let labels = record.config.Labels ?? [:]
        switch key {
        case "status": return record.state.status.rawValue == value
        case "label": return LabelFilter.matches(value, in: labels)
        case "label!": return !LabelFilter.matches(value, in: labels)
        case "name":
            let pattern = value.hasPrefix("/") ? String(value.dropFirst()) : value
            return (try? Regex(pattern)).map { record.name.contains($0) } ?? record.name.contains(pattern)
        case "id": return record.id.hasPrefix(value)
        case "ancestor":
            let image = record.config.Image ?? ""
            return image == value || image == value + ":latest" || record.imageID == value || record.imageID.hasPrefix("sha256:" + value)
                || value.hasPrefix(image + ":") && value.hasSuffix(":latest")
        case "exited": return record.state.status == .exited && Int(value) == record.state.exitCode
        case "before": return Self.reference(value, in: all).map { record.createdNano < $0.createdNano } ?? false
        case "since": return Self.reference(value, in: all).map { record.createdNano > $0.createdNano } ?? false
        case "until": return UnixTime.parseFilterTime(value).map { record.createdNano <= $0 } ?? false
        case "health": return (record.state.health?.status ?? "none") == value
        case "network":
            return record.hostConfig.NetworkMode == value
                || record.networking.networks.contains { name, settings in name == value || settings.NetworkID?.hasPrefix(value) == true }
        case "expose": return (record.config.ExposedPorts ?? [:]).keys.contains { $0 == value || $0 == value + "/tcp" }
        case "publish": return (record.hostConfig.PortBindings ?? [:]).keys.contains { $0 == value || $0 == value + "/tcp" }
        case "volume": return record.mounts.contains { $0.Name == value || $0.Source == value || $0.Destination == value }
        case "is-task": return value == "false"
        case "isolation": return value == "default"
        default: return true
        }
    }

    private static func reference(_ ref: String, in all: [String: ContainerRecord]) -> ContainerRecord? {
        all[ref] ?? all.values.first { $0.name == ref || "/" + $0.name == ref } ?? all.values.first { $0.id.hasPrefix(ref) }
    }
}
