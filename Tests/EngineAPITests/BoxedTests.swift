import Foundation
import Messages
import Testing

@Suite("Boxed values")
struct BoxedTests {
    private struct Inner: Codable, Equatable, Sendable {
        var name: String
        var tags: [String]
    }

    private struct Plain: Codable, Equatable {
        var id: String
        var inner: Inner
    }

    private struct Holder: Codable, Equatable {
        var id: String
        @Boxed var inner: Inner
    }

    @Test func codedAsTheValueItself() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let holder = Holder(id: "a", inner: Inner(name: "web", tags: ["x"]))
        let plain = Plain(id: "a", inner: Inner(name: "web", tags: ["x"]))
        #expect(try encoder.encode(holder) == encoder.encode(plain))
        #expect(try JSONDecoder().decode(Holder.self, from: encoder.encode(plain)) == holder)
    }

    @Test func aCopyKeepsItsValueWhenTheOriginalChanges() {
        var original = Holder(id: "a", inner: Inner(name: "web", tags: []))
        let copy = original
        original.inner.tags.append("changed")
        #expect(copy.inner.tags.isEmpty)
        #expect(original.inner.tags == ["changed"])
        #expect(copy != original)
        #expect(Holder(id: "a", inner: Inner(name: "web", tags: [])) == copy)
    }
}
