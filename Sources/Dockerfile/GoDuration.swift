/// Go's `time.ParseDuration`, as dockerd applies it to `HEALTHCHECK` flags.
///
/// A duration is an optional sign and a sequence of decimal numbers, each with an optional fraction
/// and a unit: `ns`, `us` (or `µs`, `μs`), `ms`, `s`, `m`, `h` — e.g. `1.5h30m`, `-300ms`. The result
/// is in nanoseconds; one beyond `Int64` is refused, never wrapped. Errors carry Go's texts,
/// e.g. `time: missing unit in duration "1"`.
public enum GoDuration {
    public static func parse(_ text: String) throws(DockerfileError) -> Int64 {
        let invalid = DockerfileError("time: invalid duration " + quote(text))
        var rest = Substring(text).utf8[...]
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("0".utf8) { return 0 }
        if rest.isEmpty { throw invalid }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let first = rest.first, first == UInt8(ascii: ".") || isDigit(first) else { throw invalid }
            // The integer part, refused when it passes 1<<63.
            var whole: UInt64 = 0
            var consumedWhole = false
            while let digit = rest.first, isDigit(digit) {
                guard whole <= limit / 10 else { throw invalid }
                whole = whole * 10 + UInt64(digit - UInt8(ascii: "0"))
                guard whole <= limit else { throw invalid }
                rest = rest.dropFirst()
                consumedWhole = true
            }
            // The fraction, which stops gaining precision rather than overflowing.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var consumedFraction = false
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                var saturated = false
                while let digit = rest.first, isDigit(digit) {
                    rest = rest.dropFirst()
                    consumedFraction = true
                    if saturated { continue }
                    guard fraction <= (limit - 1) / 10 else {
                        saturated = true
                        continue
                    }
                    let next = fraction * 10 + UInt64(digit - UInt8(ascii: "0"))
                    guard next <= limit else {
                        saturated = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            if !consumedWhole && !consumedFraction { throw invalid }
            let unitEnd = rest.firstIndex { $0 == UInt8(ascii: ".") || isDigit($0) } ?? rest.endIndex
            let unitBytes = rest[..<unitEnd]
            rest = rest[unitEnd...]
            if unitBytes.isEmpty {
                throw DockerfileError("time: missing unit in duration " + quote(text))
            }
            let unitText = String(decoding: unitBytes, as: UTF8.self)
            guard let unit = units[unitText] else {
                throw DockerfileError("time: unknown unit " + quote(unitText) + " in duration " + quote(text))
            }
            guard whole <= limit / unit else { throw invalid }
            var value = whole * unit
            if fraction > 0 {
                let extra = Double(fraction) * (Double(unit) / scale)
                guard extra < 18_446_744_073_709_551_616.0 else { throw invalid }
                let sum = value.addingReportingOverflow(UInt64(extra))
                guard !sum.overflow, sum.partialValue <= limit else { throw invalid }
                value = sum.partialValue
            }
            let sum = total.addingReportingOverflow(value)
            guard !sum.overflow, sum.partialValue <= limit else { throw invalid }
            total = sum.partialValue
        }
        if negative {
            return total == limit ? Int64.min : -Int64(total)
        }
        guard let result = Int64(exactly: total) else { throw invalid }
        return result
    }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The `time` package's own quoting: `"` and `\` escaped, bytes outside printable ASCII as `\xNN`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            if byte >= 0x80 || byte < 0x20 {
                out += "\\x" + GoText.hex(UInt32(byte), digits: 2)
            } else {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out += "\\" }
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "\""
    }
}
