import Foundation
import Messages

/// The filters of `GET /images/json`: `dangling`, `label`, `reference`, `before`, `since`, `until`.
struct ImageFilter {
    private let filters: [String: [String]]

    init(_ filters: [String: [String]]) throws(EngineError) {
        let known: Set = ["dangling", "label", "reference", "before", "since", "until"]
        if let unknown = filters.keys.first(where: { !known.contains($0) }) {
            throw .invalidArgument("invalid filter '\(unknown)'")
        }
        for value in filters["dangling"] ?? [] where !["true", "false", "1", "0"].contains(value) {
            throw .invalidArgument("invalid filter 'dangling=\(value)'")
        }
        self.filters = filters
    }

    func matches(_ image: ImageUsage, among all: [ImageUsage]) throws -> Bool {
        if let dangling = filters["dangling"]?.last {
            let wantsDangling = dangling == "true" || dangling == "1"
            if wantsDangling != image.repoTags.isEmpty { return false }
        }
        for label in filters["label"] ?? [] where !LabelFilter.matches(label, in: image.labels) { return false }
        if filters["reference"] != nil && narrowed(image).repoTags.isEmpty && narrowed(image).repoDigests.isEmpty { return false }
        for (key, keep) in [("before", { (a: Int64, b: Int64) in a < b }), ("since", { (a: Int64, b: Int64) in a > b })] {
            for name in filters[key] ?? [] {
                guard let anchor = all.first(where: { $0.id == name || $0.id.hasPrefix("sha256:" + name) || $0.repoTags.contains(name) || $0.repoTags.contains(name + ":latest") })
                else { throw EngineError.notFound("No such image: \(name)") }
                if !keep(image.created, anchor.created) { return false }
            }
        }
        for until in filters["until"] ?? [] {
            guard let limit = Self.time(until) else { throw EngineError.invalidArgument("invalid filter 'until=\(until)'") }
            if image.created > limit { return false }
        }
        return true
    }

    /// The image with only the names a `reference` filter matches (all of them without that filter).
    func narrowed(_ image: ImageUsage) -> ImageUsage {
        guard let patterns = filters["reference"], !patterns.isEmpty else { return image }
        func matching(_ names: [String]) -> [String] {
            names.filter { name in
                patterns.contains { Self.glob($0, matches: name) || Self.glob($0, matches: Self.repository(of: name)) }
            }
        }
        var copy = image
        copy.repoTags = matching(image.repoTags)
        copy.repoDigests = matching(image.repoDigests)
        return copy
    }

    /// `busybox:latest` → `busybox`.
    private static func repository(of name: String) -> String {
        if let at = name.firstIndex(of: "@") { return String(name[..<at]) }
        let slash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[slash...].lastIndex(of: ":") { return String(name[..<colon]) }
        return name
    }

    /// Shell-style matching with `*` and `?`, as Docker's reference filter does.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: pattern)
            .replacingOccurrences(of: "\\*", with: "[^/]*").replacingOccurrences(of: "\\?", with: "[^/]")
        return text.range(of: "^" + escaped + "$", options: .regularExpression) != nil
    }

    /// Unix seconds, or a duration before now (`10m`, `2h`).
    /// A filter's time bound in Unix seconds.
    private static func time(_ text: String) -> Int64? {
        UnixTime.parseFilterTime(text).map { $0 / 1_000_000_000 }
    }
}
