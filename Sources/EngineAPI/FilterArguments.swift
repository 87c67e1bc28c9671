import Foundation

/// Docker's `filters` query parameter: a JSON map of sets (`{"label":{"a=b":true}}`) or, from older
/// clients, of lists (`{"label":["a=b"]}`).
enum FilterArguments {
    static func parse(_ json: String?) throws(EngineErrorResponse) -> [String: [String]] {
        guard let json, !json.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid filter: \(json)")
        }
        var parsed: [String: [String]] = [:]
        for (key, value) in object {
            if let map = value as? [String: Any] {
                parsed[key] = map.keys.sorted()
            } else if let list = value as? [String] {
                parsed[key] = list
            } else {
                throw EngineErrorResponse(status: .badRequest, message: "invalid filter value for '\(key)'")
            }
        }
        return parsed
    }
}
