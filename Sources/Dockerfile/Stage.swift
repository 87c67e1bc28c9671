/// A build stage: a `FROM` and the instructions after it up to the next `FROM`.
public struct Stage: Sendable, Equatable {
    /// The `FROM` instruction (its command is `.from`).
    public var from: Instruction
    /// The `AS name`, lower-cased as Docker does.
    public var name: String?
    public var commands: [Instruction]

    public init(from: Instruction, name: String?, commands: [Instruction] = []) {
        self.from = from
        self.name = name
        self.commands = commands
    }
}
