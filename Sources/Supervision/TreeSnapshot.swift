/// The live state of a supervision tree, as served by `GET /debug/supervision`.
public struct TreeSnapshot: Sendable, Codable, Equatable {
    public var name: String
    public var state: ChildState
    /// Faults armed right now, by child (only with fault injection).
    public var faults: [String: [String]]
    /// In start order.
    public var children: [ChildSnapshot]
}

/// One child in a `TreeSnapshot`.
public struct ChildSnapshot: Sendable, Codable, Equatable {
    public var name: String
    public var state: ChildState
    public var restartType: RestartType
    public var incarnation: Int
    public var restarts: Int
    public var lastError: String?
    /// The delay of the pending (or last) restart.
    public var backoffMs: Int64
    /// When the child is expected back, while it is restarting.
    public var retryInMs: Int64?
    /// How long the current incarnation has been running.
    public var uptimeMs: Int64?
    /// Facts the child published about itself (process ids, addresses).
    public var info: [String: String]
    /// The siblings it asks while starting (`ChildSpec.requires`).
    public var requires: [String]
    /// The further siblings it asks once running (`ChildSpec.calls`).
    public var calls: [String]
}

extension ChildSnapshot {
    private enum CodingKeys: String, CodingKey {
        case name, state, restartType, incarnation, restarts, lastError, backoffMs, retryInMs, uptimeMs, info, requires, calls
    }

    /// Encodes absent optionals as `null`, so every child has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(restartType, forKey: .restartType)
        try container.encode(incarnation, forKey: .incarnation)
        try container.encode(restarts, forKey: .restarts)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(backoffMs, forKey: .backoffMs)
        try container.encode(retryInMs, forKey: .retryInMs)
        try container.encode(uptimeMs, forKey: .uptimeMs)
        try container.encode(info, forKey: .info)
        try container.encode(requires, forKey: .requires)
        try container.encode(calls, forKey: .calls)
    }
}
