/// Go's `strconv` parsing of option values, with its error texts, which dockerd passes on to clients.
public enum GoSyntax {
    /// `strconv.ParseBool`.
    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    /// The error `strconv` reports for `text` that is not a `function` value.
    public static func syntaxError(_ function: String, _ text: String) -> String {
        "strconv.\(function): parsing \"\(text)\": invalid syntax"
    }
}
