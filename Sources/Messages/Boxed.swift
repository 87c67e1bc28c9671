/// Keeps a large value behind one immutable reference, so that copying the struct holding it costs one
/// retain instead of one per field. Reading borrows the boxed value; writing replaces the box.
///
/// For rarely changed parts of records that are copied often: a container's configuration and host
/// configuration hold ≈120 fields, and every listing, inspection or change of a container copies its
/// record.
/// Encoded, decoded and compared as the value itself.
@propertyWrapper
public struct Boxed<Value: Sendable>: Sendable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    public init(wrappedValue: Value) {
        box = Box(wrappedValue)
    }

    public var wrappedValue: Value {
        _read { yield box.value }
        set { box = Box(newValue) }
    }
}

extension Boxed: Equatable where Value: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }
}

extension Boxed: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(wrappedValue: try Value(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try box.value.encode(to: encoder)
    }
}
