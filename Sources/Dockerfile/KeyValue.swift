/// One `key=value` pair of `ENV` or `LABEL`, as written (quotes kept until expansion).
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
