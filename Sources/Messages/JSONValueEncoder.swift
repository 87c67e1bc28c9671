import Foundation

extension JSONValue {
    /// An `Encodable` value as a document, built directly rather than through JSON bytes and back:
    /// `docker inspect` passes the stored configuration through it, and records are stored through it.
    /// As with `JSONEncoder`, a nil optional member is left out and `Data` becomes Base64 text; an error
    /// the value's `encode(to:)` throws is thrown.
    public init(encoding value: some Encodable) throws {
        let root = EncodingNode()
        try root.encode(value)
        self = root.document
    }

    /// ``init(encoding:)``, or `null` if the value cannot be encoded.
    public static func encoding(_ value: some Encodable) -> JSONValue {
        (try? JSONValue(encoding: value)) ?? .null
    }
}

/// One value being encoded: a scalar, or an object or array whose members are nodes of their own
/// (reference types, so nested containers fill their slot in place).
private final class EncodingNode: Encoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private var scalar: JSONValue?
    private var members: [(String, EncodingNode)]?
    private var elements: [EncodingNode]?

    var document: JSONValue {
        if let members { return .object(members.map { ($0.0, $0.1.document) }) }
        if let elements { return .array(elements.map(\.document)) }
        return scalar ?? .object([])
    }

    func encode(_ value: some Encodable) throws {
        switch value {
        case let data as Data: scalar = .string(data.base64EncodedString())
        case let url as URL: scalar = .string(url.absoluteString)
        default: try value.encode(to: self)
        }
    }

    func set(_ value: JSONValue) { scalar = value }

    /// A new member (keys come once each from synthesized conformances and dictionaries).
    func member(_ key: String) -> EncodingNode {
        let node = EncodingNode()
        members?.append((key, node))
        return node
    }

    func element() -> EncodingNode {
        let node = EncodingNode()
        elements?.append(node)
        return node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if members == nil { members = [] }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if elements == nil { elements = [] }
        return UnkeyedNodeContainer(node: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(node: self) }
}

extension JSONValue {
    /// A number as `JSONEncoder` would write it and `JSONValue` read it back: an integer when it fits.
    fileprivate static func number(_ value: some BinaryInteger) -> JSONValue {
        Int64(exactly: value).map(JSONValue.int) ?? .double(Double(value))
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { node.set(.null) }
    mutating func encode(_ value: Bool) { node.set(.bool(value)) }
    mutating func encode(_ value: String) { node.set(.string(value)) }
    mutating func encode(_ value: Double) { node.set(.double(value)) }
    mutating func encode(_ value: Float) { node.set(.double(Double(value))) }
    mutating func encode(_ value: Int) { node.set(.number(value)) }
    mutating func encode(_ value: Int8) { node.set(.number(value)) }
    mutating func encode(_ value: Int16) { node.set(.number(value)) }
    mutating func encode(_ value: Int32) { node.set(.number(value)) }
    mutating func encode(_ value: Int64) { node.set(.number(value)) }
    mutating func encode(_ value: UInt) { node.set(.number(value)) }
    mutating func encode(_ value: UInt8) { node.set(.number(value)) }
    mutating func encode(_ value: UInt16) { node.set(.number(value)) }
    mutating func encode(_ value: UInt32) { node.set(.number(value)) }
    mutating func encode(_ value: UInt64) { node.set(.number(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value) }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) { node.member(key.stringValue).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try node.member(key.stringValue).encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        node.member(key.stringValue).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        node.member(key.stringValue).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { node.member("super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { node.member(key.stringValue) }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(node: EncodingNode) { self.node = node }

    mutating func encodeNil() {
        count += 1
        node.element().set(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        count += 1
        try node.element().encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return node.element().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        return node.element().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        return node.element()
    }
}
