import Foundation
import Messages

/// The `filters` of `GET /events`, with Docker's matching rules: values of one key are alternatives,
/// different keys must all match.
struct EventFilter: Sendable {
    static let keys: Set = [
        "config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret",
        "service", "type", "volume",
    ]

    private let values: [String: Set<String>]

    /// Parses Docker's filter JSON: a map of sets (`{"type":{"container":true}}`) or of lists.
    init(json: String?) throws(EngineErrorResponse) {
        guard let json, !json.isEmpty else {
            values = [:]
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid filter: \(json)")
        }
        var parsed: [String: Set<String>] = [:]
        for (key, value) in object {
            guard Self.keys.contains(key) else { throw EngineErrorResponse(status: .badRequest, message: "invalid filter '\(key)'") }
            if let map = value as? [String: Any] {
                parsed[key] = Set(map.keys)
            } else if let list = value as? [String] {
                parsed[key] = Set(list)
            } else {
                throw EngineErrorResponse(status: .badRequest, message: "invalid filter value for '\(key)'")
            }
        }
        values = parsed
    }

    func matches(_ event: EngineEvent) -> Bool {
        matchesAny("type", event.type)
            && matchesAny("scope", event.scope)
            && matchesAny("event", event.action, event.action.split(separator: ":").first.map(String.init) ?? event.action)
            && matchesObject("container", of: "container", event)
            && matchesObject("volume", of: "volume", event)
            && matchesObject("network", of: "network", event)
            && matchesObject("plugin", of: "plugin", event)
            && matchesObject("daemon", of: "daemon", event)
            && matchesImage(event)
            && matchesLabels(event)
    }

    private func matchesAny(_ key: String, _ candidates: String...) -> Bool {
        guard let wanted = values[key] else { return true }
        return candidates.contains { wanted.contains($0) }
    }

    /// `container=x` matches container events whose ID (or an ID prefix) or name is x.
    private func matchesObject(_ key: String, of type: String, _ event: EngineEvent) -> Bool {
        guard let wanted = values[key] else { return true }
        guard event.type == type else { return false }
        return wanted.contains { value in
            event.actor.id == value || event.actor.id.hasPrefix(value) || event.actor.attributes["name"] == value
        }
    }

    /// `image=x` matches image events about x and container events of containers made from x.
    private func matchesImage(_ event: EngineEvent) -> Bool {
        guard let wanted = values["image"] else { return true }
        let names = [event.type == "image" ? event.actor.id : nil, event.actor.attributes["image"], event.actor.attributes["name"]]
        return names.contains { name in name.map(wanted.contains) ?? false }
    }

    private func matchesLabels(_ event: EngineEvent) -> Bool {
        guard let wanted = values["label"] else { return true }
        return wanted.allSatisfy { label in
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = event.actor.attributes[parts[0]] else { return false }
            return parts.count == 1 || value == parts[1]
        }
    }
}
