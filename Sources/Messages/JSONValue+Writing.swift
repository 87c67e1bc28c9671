import Foundation

extension JSONValue {
    /// The document as compact JSON bytes, keys sorted (so equal documents give equal bytes), `/` not
    /// escaped. Written directly rather than through `JSONEncoder`, which costs most of a small API
    /// response's time. A non-finite number is written as `null`.
    public func encoded() -> Data {
        Data(utf8())
    }

    /// The same JSON text as ``encoded()``, as bytes.
    public func utf8() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(to: &bytes)
        return bytes
    }

    /// Appends the document's JSON text to `bytes`.
    public func write(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let value):
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            bytes.append(contentsOf: String(value).utf8)
        case .double(let value):
            Self.write(value, to: &bytes)
        case .string(let text):
            Self.write(text, to: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            func writeMember(_ index: Int, first: Bool) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                Self.write(members[index].0, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                members[index].1.write(to: &bytes)
            }
            if members.indices.dropFirst().allSatisfy({ members[$0 - 1].0 <= members[$0].0 }) {
                for index in members.indices { writeMember(index, first: index == 0) }
            } else {
                // Sorting indices rather than members spares copying them.
                let order = members.indices.sorted { members[$0].0 < members[$1].0 }
                for (position, index) in order.enumerated() { writeMember(index, first: position == 0) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static func write(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func write(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        // Over the contiguous UTF-8 bytes: a plain loop, where the UTF8View is walked index by index.
        text.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { writeEscaping(byte, to: &bytes) }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func writeEscaping(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0xf)])
        default: bytes.append(byte)
        }
    }
}
