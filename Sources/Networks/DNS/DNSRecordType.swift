/// The type of a DNS record or question: the few the resolver acts on by name, the rest by their code.
enum DNSRecordType: Hashable, Sendable {
    case a
    case ptr
    case aaaa
    /// EDNS's pseudo-record in the additional section (RFC 6891).
    case opt
    case other(UInt16)

    init(code: UInt16) {
        switch code {
        case 1: self = .a
        case 12: self = .ptr
        case 28: self = .aaaa
        case 41: self = .opt
        default: self = .other(code)
        }
    }

    var code: UInt16 {
        switch self {
        case .a: 1
        case .ptr: 12
        case .aaaa: 28
        case .opt: 41
        case .other(let code): code
        }
    }
}
