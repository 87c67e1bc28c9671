/// A first-in first-out queue of what a reader has not taken yet (``ProgressSink``'s lines, an attached
/// client's output chunks): appends at the end, takes from the front, and lets a waiting element be
/// replaced in place. Taking is O(1); the storage is compacted as the reader advances.
public struct WaitingQueue<Element>: Sendable where Element: Sendable {
    private var elements: [Element] = []
    /// Elements before this index have been taken.
    private var head = 0

    public init() {}

    public var isEmpty: Bool { head == elements.count }

    public var count: Int { elements.count - head }

    public mutating func append(_ element: Element) {
        elements.append(element)
    }

    /// Takes the first element.
    public mutating func popFirst() -> Element? {
        guard head < elements.count else { return nil }
        let element = elements[head]
        head += 1
        if head == elements.count {
            removeAll()
        } else if head >= 256 && head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        return element
    }

    public mutating func removeAll() {
        elements.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The position of the last waiting element that `predicate` accepts, from the end.
    public func lastIndex(where predicate: (Element) -> Bool) -> Int? {
        elements[head...].lastIndex(where: predicate)
    }

    /// A waiting element by the position ``lastIndex(where:)`` gave.
    public subscript(index: Int) -> Element {
        get { elements[index] }
        set { elements[index] = newValue }
    }
}
