/// The `label` filter of Docker's list, prune and events endpoints: `key` (the label is set) or
/// `key=value` (it is set to that value).
public enum LabelFilter {
    public static func matches(_ filter: String, in labels: [String: String]) -> Bool {
        let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
        guard let key = parts.first, let value = labels[key] else { return false }
        return parts.count == 1 || value == parts[1]
    }

    /// Whether `labels` pass a filter set's `label` entries (each must match) and `label!` entries
    /// (none may match).
    public static func matches(_ filters: [String: [String]], in labels: [String: String]) -> Bool {
        (filters["label"] ?? []).allSatisfy { matches($0, in: labels) } && !(filters["label!"] ?? []).contains { matches($0, in: labels) }
    }
}
