/// One name of an `ARG` instruction, with its default value when it has one (`ARG name=default`).
public struct ArgDeclaration: Sendable, Equatable {
    public var name: String
    public var defaultValue: String?

    public init(name: String, defaultValue: String? = nil) {
        self.name = name
        self.defaultValue = defaultValue
    }
}
