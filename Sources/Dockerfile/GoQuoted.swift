/// Go's `%q` formatting, as dockerd writes commands into an image's history.
public enum GoQuoted {
    /// A string slice: `["cat" "/f.txt"]`.
    public static func list(_ words: [String]) -> String {
        "[" + words.map(GoText.quote).joined(separator: " ") + "]"
    }
}
