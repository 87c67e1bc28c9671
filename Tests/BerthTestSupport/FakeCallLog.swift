import Synchronization

/// The calls every fake of a tree received, in order across the fakes, as `child.method`.
public final class FakeCallLog: Sendable {
    private let entries = Mutex<[String]>([])

    public init() {}

    public var calls: [String] { entries.withLock { $0 } }

    func record(_ call: String) { entries.withLock { $0.append(call) } }
}
