import Messages

/// The filters of `docker network ls`: `driver`, `id`, `label`, `name`, `scope`, `type` (`custom` or
/// `builtin`) and `dangling` (no container attached; predefined networks never dangle).
struct NetworkFilter {
    private let filters: [String: [String]]

    init(_ filters: [String: [String]]) throws {
        let unknown = Set(filters.keys).subtracting(["driver", "id", "label", "name", "scope", "type", "dangling"])
        if let key = unknown.first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        for type in filters["type"] ?? [] where type != "custom" && type != "builtin" {
            throw EngineError.invalidArgument("invalid filter: 'type'='\(type)'")
        }
        for value in filters["dangling"] ?? [] where !["true", "false", "1", "0"].contains(value.lowercased()) {
            throw EngineError.invalidArgument("invalid filter 'dangling=\(value)'")
        }
        self.filters = filters
    }

    func matches(_ network: StoredNetwork, members: Int) -> Bool {
        func any(_ key: String, _ test: (String) -> Bool) -> Bool {
            guard let values = filters[key], !values.isEmpty else { return true }
            return values.contains(where: test)
        }
        let dangling = !network.isPredefined && members == 0
        return any("driver") { $0 == network.driver }
            && any("id") { network.id.hasPrefix($0) || network.id.contains($0) }
            && any("name") { network.name.contains($0) }
            && any("scope") { $0 == "local" }
            && any("type") { ($0 == "builtin") == network.isPredefined }
            && any("dangling") { ["true", "1"].contains($0.lowercased()) == dangling }
            && LabelFilter.matches(filters, in: network.labels)
    }
}
