/// Checks on header fields written or read outside NIO's HTTP codec.
enum HTTPField {
    /// Whether `name` is an HTTP token and `value` holds no CR, LF or NUL.
    static func isValid(name: String, value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(Self.isTokenByte)
            && !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Whether `byte` may appear in a token, such as a field name (RFC 9110 `tchar`).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
