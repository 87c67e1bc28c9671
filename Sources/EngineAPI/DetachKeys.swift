/// The key sequence that detaches a client from a container's stdin (`ctrl-p,ctrl-q` by default), and
/// a scanner that watches the client's bytes for it.
struct DetachKeys {
    let sequence: [UInt8]
    private var matched = 0

    static let defaultSpec = "ctrl-p,ctrl-q"

    /// Parses `ctrl-p,ctrl-q`, `a,ctrl-x`, …; an empty or unreadable spec falls back to the default.
    init(_ spec: String?) throws(EngineErrorResponse) {
        let text = spec.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultSpec
        var bytes: [UInt8] = []
        for key in text.split(separator: ",") {
            let lower = key.lowercased()
            if lower.hasPrefix("ctrl-"), lower.count == 6, let code = lower.last.flatMap(Self.control) {
                bytes.append(code)
            } else if key.count == 1, let ascii = key.first?.asciiValue {
                bytes.append(ascii)
            } else {
                throw EngineErrorResponse(status: .badRequest, message: "Invalid detach keys (\(text)) provided")
            }
        }
        sequence = bytes
    }

    /// Passes `input` through, holding back a partial match; `detached` once the whole sequence came.
    mutating func scan(_ input: [UInt8]) -> (forward: [UInt8], detached: Bool) {
        var forward: [UInt8] = []
        for byte in input {
            if byte == sequence[matched] {
                matched += 1
                if matched == sequence.count { return (forward, true) }
            } else {
                forward += sequence[0..<matched]
                matched = byte == sequence[0] ? 1 : 0
                if matched == 0 { forward.append(byte) }
            }
        }
        return (forward, false)
    }

    private static func control(_ key: Character) -> UInt8? {
        switch key {
        case "a"..."z": key.asciiValue! - 96
        case "@": 0
        case "[": 27
        case "\\": 28
        case "]": 29
        case "^": 30
        case "_": 31
        default: nil
        }
    }
}
