/// Go's `strconv.ParseInt(text, 10, 32)`, with its error texts.
enum GoInteger {
    static func parseInt32(_ text: String) throws(DockerfileError) -> Int32 {
        let prefix = "strconv.ParseInt: parsing \(GoText.quote(text)): "
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw DockerfileError(prefix + "invalid syntax")
        }
        var value: Int64 = 0
        for scalar in digits.unicodeScalars {
            value = value * 10 + Int64(scalar.value - 48)
            if value > Int64(Int32.max) + 1 { throw DockerfileError(prefix + "value out of range") }
        }
        guard let result = Int32(exactly: negative ? -value : value) else {
            throw DockerfileError(prefix + "value out of range")
        }
        return result
    }
}
