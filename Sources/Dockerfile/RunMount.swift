/// The syntax check dockerd 20.10 makes on `RUN --mount=...` while parsing, before the legacy
/// builder refuses the flag at dispatch. Only the shape is checked (CSV `key=value` fields, known
/// keys, known types); what a mount means is BuildKit's business.
enum RunMount {
    static func validate(_ value: String) throws(DockerfileError) {
        let fields = csvFields(value)
        guard !fields.isEmpty else { throw DockerfileError("failed to parse csv mounts: EOF") }
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            if parts.count == 1 {
                if flagKeys.contains(key) { continue }
                throw DockerfileError("invalid field '\(field)' must be a key=value pair")
            }
            switch key {
            case "type":
                guard types.contains(parts[1].lowercased()) else {
                    throw DockerfileError("unsupported mount type \(GoText.quote(String(parts[1])))")
                }
            case _ where valueKeys.contains(key):
                continue
            default:
                throw DockerfileError("unexpected key '\(key)' in '\(field)'")
            }
        }
    }

    private static let types: Set<String> = ["bind", "cache", "tmpfs", "secret", "ssh"]
    private static let flagKeys: Set<String> = ["readonly", "ro", "readwrite", "rw", "required"]
    private static let valueKeys: Set<String> = [
        "from", "source", "src", "target", "dst", "destination", "readonly", "ro", "readwrite", "rw", "required",
        "id", "sharing", "mode", "uid", "gid",
    ]

    /// One CSV record: comma-separated fields, a field in double quotes may hold commas and `""`.
    private static func csvFields(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var fields: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append(scalars.removeFirst())
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "," {
                fields.append(field)
                field = ""
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        fields.append(field)
        return fields
    }
}
