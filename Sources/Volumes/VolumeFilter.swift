import Messages

/// The filters of `docker volume ls`: `dangling` (no container references it), `driver`, `label`,
/// `label!` and `name` (a substring).
struct VolumeFilter {
    private let filters: [String: [String]]

    init(_ filters: [String: [String]]) throws {
        let unknown = Set(filters.keys).subtracting(["dangling", "driver", "label", "label!", "name"])
        if let key = unknown.first { throw EngineError.invalidArgument("invalid filter '\(key)'") }
        for value in filters["dangling"] ?? [] where !["true", "false", "1", "0"].contains(value.lowercased()) {
            throw EngineError.invalidArgument("invalid filter 'dangling=\(value)'")
        }
        self.filters = filters
    }

    func matches(_ volume: StoredVolume, referenced: Bool) -> Bool {
        func any(_ key: String, _ test: (String) -> Bool) -> Bool {
            guard let values = filters[key], !values.isEmpty else { return true }
            return values.contains(where: test)
        }
        return any("dangling") { ["true", "1"].contains($0.lowercased()) != referenced }
            && any("driver") { $0 == volume.driver }
            && any("name") { volume.name.contains($0) }
            && LabelFilter.matches(filters, in: volume.labels)
    }
}
