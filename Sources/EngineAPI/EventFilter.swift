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

    init(json: String?) throws(EngineErrorResponse) {
        let parsed = try FilterArguments.parse(json)
        if let unknown = parsed.keys.first(where: { !Self.keys.contains($0) }) {
            throw EngineErrorResponse(status: .badRequest, message: "invalid filter '\(unknown)'")
        }
        values = parsed.mapValues(Set.init)
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
        return wanted.allSatisfy { LabelFilter.matches($0, in: event.actor.attributes) }
    }
}
