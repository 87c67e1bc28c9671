import Foundation
import Messages
import Testing

@Suite("JSONValue writing")
struct JSONWritingTests {
    private func text(_ value: JSONValue) -> String { String(decoding: value.encoded(), as: UTF8.self) }

    @Test func objectsHaveSortedKeysAndNoSpaces() {
        #expect(text(["b": 1, "a": [true, nil, "x"], "c": [:]]) == #"{"a":[true,null,"x"],"b":1,"c":{}}"#)
    }

    @Test func stringsEscapeQuotesBackslashesAndControlsButNotSlashes() {
        #expect(text(.string("a\"b\\c/d\n\t\u{1}é")) == #""a\"b\\c/d\n\t\u0001é""#)
    }

    @Test func numbers() {
        #expect(text([.int(-42), .double(3), .double(0.25), .double(.nan)]) == "[-42,3,0.25,null]")
    }

    @Test func foundationReadsWhatItWrites() throws {
        let document: JSONValue = ["Labels": ["com.example/x": "y\u{7f}"], "Name": "/web", "Ratio": 1.5, "Size": .int(1 << 40)]  // decoding sorts keys
        let decoded = try JSONDecoder().decode(JSONValue.self, from: document.encoded())
        #expect(decoded == document)
    }
}
