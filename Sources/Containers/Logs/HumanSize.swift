/// Sizes as `docker/go-units` parses them for log options: a decimal number, an optional space and an
/// optional unit `k`, `m`, `g`, `t` or `p` (powers of 1000, with or without `i` and `b`: `10k`, `1.5MB`,
/// `1g`, `100`).
enum HumanSize {
    /// The size in bytes, or nil when `text` is not one.
    static func bytes(_ text: String) -> Int64? {
        var rest = Substring(text)
        for suffix in ["b", "i"] where rest.lowercased().hasSuffix(suffix) {
            rest = rest.dropLast()
        }
        var multiplier: Double = 1
        if let unit = rest.last?.lowercased(), let power = ["k", "m", "g", "t", "p"].firstIndex(of: unit) {
            multiplier = (0...power).reduce(1) { value, _ in value * 1000 }
            rest = rest.dropLast()
        }
        if rest.last == " " { rest = rest.dropLast() }
        guard let first = rest.first, first.isASCIIDigit, let last = rest.last, last.isASCIIDigit,
            rest.allSatisfy({ $0.isASCIIDigit || $0 == "." }), rest.count(where: { $0 == "." }) <= 1,
            let number = Double(rest)
        else { return nil }
        return Int64(exactly: (number * multiplier).rounded(.towardZero))
    }
}
