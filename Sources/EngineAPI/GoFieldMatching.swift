/// Decodes a value with its object members matched to struct properties as Go's `encoding/json` matches
/// them to struct fields: the exact name, else the one name that equals it ignoring case (`"privileged"`
/// sets `Privileged`, as in dockerd and in a Go authorization plugin reading Docker's types), while the
/// keys of a dictionary (labels, options) stay exact, as Go's maps keep them.
///
/// It wraps the decoder `JSONDecoder` hands it, so JSON is still parsed by Foundation; names that repeat
/// exactly are refused before (``JSONMemberNames``), and a struct's members that differ only in case
/// (`"Privileged"` and `"privileged"`, which Go reads as one field, keeping the last) throw
/// ``GoFieldCollision``, so a property never has two matches.
/// A container keyed by a dictionary's keys is told apart from a struct's `CodingKeys` by asking the key
/// type for a name no struct has: only a dictionary's key type makes a key of any string.
struct GoFieldMatching<Value: Decodable>: Decodable {
    let value: Value

    init(from decoder: any Decoder) throws {
        value = try Value(from: FoldingDecoder(base: decoder))
    }
}

/// Two members of one struct's object whose names differ only in case.
struct GoFieldCollision: Error {
    let name: String
}

/// A key of any name, for reading the wrapped containers.
private struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { (self.stringValue, intValue) = (stringValue, nil) }
    init(intValue: Int) { (stringValue, self.intValue) = (String(intValue), intValue) }
}

private struct FoldingDecoder: Decoder {
    let base: any Decoder
    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try FoldingKeyedContainer<Key>(base: try base.container(keyedBy: AnyKey.self)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { FoldingUnkeyedContainer(base: try base.unkeyedContainer()) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { FoldingSingleValueContainer(base: try base.singleValueContainer()) }
}

private struct FoldingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<AnyKey>
    /// For a struct's container, the members that are no property's own name, by their folded name; empty
    /// for a dictionary's (whose `Key` makes a key of any name, matched exactly).
    private let otherCased: [String: AnyKey]

    init(base: KeyedDecodingContainer<AnyKey>) throws {
        self.base = base
        guard Key(stringValue: "\u{0}berth: no property has this name") == nil else {
            otherCased = [:]  // a dictionary's container
            return
        }
        var byFoldedName: [String: AnyKey] = [:]
        for member in base.allKeys {
            let folded = JSONMemberNames.folded(member.stringValue)
            guard byFoldedName[folded] == nil else { throw GoFieldCollision(name: member.stringValue) }
            byFoldedName[folded] = member
        }
        otherCased = byFoldedName.filter { Key(stringValue: $0.value.stringValue) == nil }
    }

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys.compactMap { Key(stringValue: $0.stringValue) } }

    /// The member `key` reads: the exact name, else (for a struct) the one name that is no property's own
    /// and equals it ignoring case.
    private func member(_ key: Key) -> AnyKey {
        let exact = AnyKey(stringValue: key.stringValue)
        guard !otherCased.isEmpty, !base.contains(exact) else { return exact }
        return otherCased[JSONMemberNames.folded(key.stringValue)] ?? exact
    }

    func contains(_ key: Key) -> Bool { base.contains(member(key)) }
    func decodeNil(forKey key: Key) throws -> Bool { try base.decodeNil(forKey: member(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try base.decode(type, forKey: member(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try base.decode(type, forKey: member(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try base.decode(type, forKey: member(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try base.decode(type, forKey: member(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try base.decode(GoFieldMatching<T>.self, forKey: member(key)).value
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(try FoldingKeyedContainer<NestedKey>(base: try base.nestedContainer(keyedBy: AnyKey.self, forKey: member(key))))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        FoldingUnkeyedContainer(base: try base.nestedUnkeyedContainer(forKey: member(key)))
    }

    func superDecoder() throws -> any Decoder { FoldingDecoder(base: try base.superDecoder()) }
    func superDecoder(forKey key: Key) throws -> any Decoder { FoldingDecoder(base: try base.superDecoder(forKey: member(key))) }
}

private struct FoldingUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try base.decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try base.decode(GoFieldMatching<T>.self).value }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(try FoldingKeyedContainer<NestedKey>(base: try base.nestedContainer(keyedBy: AnyKey.self)))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { FoldingUnkeyedContainer(base: try base.nestedUnkeyedContainer()) }
    mutating func superDecoder() throws -> any Decoder { FoldingDecoder(base: try base.superDecoder()) }
}

private struct FoldingSingleValueContainer: SingleValueDecodingContainer {
    let base: any SingleValueDecodingContainer

    var codingPath: [any CodingKey] { base.codingPath }

    func decodeNil() -> Bool { base.decodeNil() }
    func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    func decode(_ type: String.Type) throws -> String { try base.decode(type) }
    func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try base.decode(GoFieldMatching<T>.self).value }
}
